import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import {
  acceptCandidate,
  createCandidate,
  rejectCandidate,
  updateCandidate,
  type ApiContext,
  type ApiResult,
} from './api';
import { CandidateForm, type IntervalField } from './CandidateForm';
import { CandidateRow, COLUMN_COUNT } from './CandidateRow';
import { formatTime, parseSeconds, playableInterval, roundTenth, secondsToInput } from './format';
import { IntervalPlayer, type IntervalPlayerHandle } from './IntervalPlayer';
import { commandForKey, SHORTCUT_HELP } from './keyboard';
import { RejectForm } from './RejectForm';
import {
  changedFields,
  countByFilter,
  failureAction,
  filterCandidates,
  FILTER_LABELS,
  FILTERS,
  formKey,
  initialState,
  isBusy,
  isEditable,
  NEW_KEY,
  reducer,
  selectedCandidate,
  validateDraft,
  type Draft,
  type Form,
  type RequestKind,
} from './state';
import type { Stage1Data } from './types';

export interface Stage1AppProps {
  data: Stage1Data;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * Stage 1 review of one video: the annotator goes through the LLM's proposed
 * counting questions, plays each one's query interval, and accepts, edits,
 * rejects (with a reason) or adds questions by hand, mostly from the keyboard.
 * Every change carries the candidate's version; a 409 shows the newer version
 * without losing what the user typed.
 */
export function Stage1App({ data, fetchImpl }: Stage1AppProps) {
  const { video, urls, csrf_token: csrfToken, can_annotate: canAnnotate } = data;
  const [state, dispatch] = useReducer(reducer, data.candidates, (c) => initialState(c));
  const playerRef = useRef<IntervalPlayerHandle>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  const ctx = useMemo<ApiContext>(
    () => ({ urls, csrfToken, fetchImpl: fetchImpl ?? defaultFetch }),
    [urls, csrfToken, fetchImpl],
  );
  // Event handlers read the latest state and context through refs, so the
  // keyboard listener and the memoized rows' callbacks never go stale.
  const stateRef = useRef(state);
  const ctxRef = useRef(ctx);
  useLayoutEffect(() => {
    stateRef.current = state;
    ctxRef.current = ctx;
  });
  /** Keys with a request in flight, updated synchronously (a double press sends once). */
  const inFlight = useRef(new Set<number>());

  const run = useCallback(async (key: number, kind: RequestKind, request: () => Promise<ApiResult>) => {
    if (inFlight.current.has(key)) {
      return;
    }
    inFlight.current.add(key);
    dispatch({ type: 'requestStarted', key });
    let result: ApiResult;
    try {
      result = await request();
    } finally {
      inFlight.current.delete(key);
    }
    if (result.ok) {
      dispatch({ type: 'requestSucceeded', key, kind, candidate: result.candidate });
    } else if (result.kind === 'conflict') {
      dispatch({ type: 'requestConflict', key, kind, current: result.current });
    } else {
      dispatch(failureAction(key, kind, result));
    }
  }, []);

  const find = (id: number) => stateRef.current.candidates.find((c) => c.id === id) ?? null;

  const select = useCallback((id: number) => dispatch({ type: 'select', id }), []);

  const playCandidate = useCallback(
    (id: number) => {
      const c = stateRef.current.candidates.find((x) => x.id === id);
      if (c === undefined) return;
      dispatch({ type: 'select', id });
      const { start, end } = playableInterval(c.query_start, c.query_end, video.duration);
      playerRef.current?.playInterval(start, end);
    },
    [video.duration],
  );

  const accept = useCallback(
    (id: number) => {
      const c = stateRef.current.candidates.find((x) => x.id === id);
      // Not while this row's form is open: the form's Save / Reject is the way out.
      if (!canAnnotate || c === undefined || !isEditable(c) || formKey(stateRef.current.form) === id) return;
      void run(id, 'accept', () => acceptCandidate(ctxRef.current, c));
    },
    [canAnnotate, run],
  );

  const openEdit = useCallback(
    (id: number) => {
      if (canAnnotate) dispatch({ type: 'openEdit', id });
    },
    [canAnnotate],
  );

  const openReject = useCallback(
    (id: number) => {
      if (canAnnotate) dispatch({ type: 'openReject', id });
    },
    [canAnnotate],
  );

  const openNew = useCallback(() => {
    if (canAnnotate) dispatch({ type: 'openNew', duration: video.duration });
  }, [canAnnotate, video.duration]);

  const cancelForm = useCallback(() => dispatch({ type: 'cancelForm' }), []);

  const submitReject = () => {
    const form = stateRef.current.form;
    if (form?.kind !== 'reject') return;
    const reason = form.reason.trim();
    if (reason === '') {
      dispatch({ type: 'invalid', fieldErrors: {}, formError: 'Give a reason for rejecting.' });
      return;
    }
    const c = find(form.id);
    if (c === null) return;
    void run(form.id, 'reject', () => rejectCandidate(ctxRef.current, c, reason));
  };

  /** Saves the edit; after a 409, `applyToNewer` sends the user's changes with the newer version. */
  const submitEdit = (applyToNewer: boolean) => {
    const form = stateRef.current.form;
    if (form?.kind !== 'edit') return;
    const checked = validateDraft(form.draft, video.duration);
    if (!checked.ok) {
      dispatch({ type: 'invalid', fieldErrors: checked.fieldErrors });
      return;
    }
    const changes = changedFields(form.base, form.draft, checked.fields);
    const target = applyToNewer ? form.conflict : form.base;
    if (target === null) return;
    if (Object.keys(changes).length === 0) {
      // Nothing changed: nothing to send.
      dispatch({ type: 'cancelForm' });
      return;
    }
    void run(form.id, 'edit', () => updateCandidate(ctxRef.current, form.id, target.version, changes));
  };

  const submitNew = () => {
    const form = stateRef.current.form;
    if (form?.kind !== 'new') return;
    const checked = validateDraft(form.draft, video.duration);
    if (!checked.ok) {
      dispatch({ type: 'invalid', fieldErrors: checked.fieldErrors });
      return;
    }
    void run(NEW_KEY, 'create', () => createCandidate(ctxRef.current, video.id, checked.fields));
  };

  const setFromPlayer = (field: IntervalField) => {
    const t = playerRef.current?.currentTime();
    if (t === null || t === undefined) return;
    dispatch({ type: 'editDraft', patch: { [field]: secondsToInput(roundTenth(t)) } });
  };

  const playDraft = useCallback(
    (draft: Draft) => {
      const start = parseSeconds(draft.query_start);
      const end = parseSeconds(draft.query_end);
      if (Number.isNaN(start) || Number.isNaN(end)) return;
      const interval = playableInterval(start, end, video.duration);
      playerRef.current?.playInterval(interval.start, interval.end);
    },
    [video.duration],
  );

  // Keyboard shortcuts.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const s = stateRef.current;
      const command = commandForKey(event, s.form !== null);
      if (command === null) return;
      event.preventDefault();
      const selected = selectedCandidate(s);
      switch (command) {
        case 'next':
          dispatch({ type: 'move', delta: 1 });
          break;
        case 'prev':
          dispatch({ type: 'move', delta: -1 });
          break;
        case 'play':
          if (s.form !== null && s.form.kind !== 'reject') playDraft(s.form.draft);
          else if (selected !== null) playCandidate(selected.id);
          break;
        case 'accept':
          if (selected !== null) accept(selected.id);
          break;
        case 'reject':
          if (selected !== null) openReject(selected.id);
          break;
        case 'edit':
          if (selected !== null) openEdit(selected.id);
          break;
        case 'new':
          openNew();
          break;
        case 'cancel':
          dispatch({ type: 'cancelForm' });
          break;
        case 'blur':
          // Esc in a text field keeps what was typed: it only leaves the field.
          if (event.target instanceof HTMLElement) event.target.blur();
          break;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [accept, openEdit, openNew, openReject, playCandidate, playDraft]);

  // Keep the selected row on screen.
  useEffect(() => {
    if (state.selectedId === null) return;
    const row = tableRef.current?.querySelector(`tr[data-candidate-id="${state.selectedId}"]`);
    if (row instanceof HTMLElement && typeof row.scrollIntoView === 'function') {
      row.scrollIntoView({ block: 'nearest' });
    }
  }, [state.selectedId]);

  const counts = useMemo(() => countByFilter(state.candidates), [state.candidates]);
  const visible = useMemo(
    () => filterCandidates(state.candidates, state.filter),
    [state.candidates, state.filter],
  );
  const openFormKey = formKey(state.form);

  const renderForm = (form: Form): ReactNode => {
    if (form.kind === 'reject') {
      return (
        <RejectForm
          idPrefix={`s1-reject-${form.id}`}
          text={find(form.id)?.text ?? ''}
          reason={form.reason}
          formError={form.formError}
          busy={isBusy(state, form.id)}
          onChange={(reason) => dispatch({ type: 'setReason', reason })}
          onSubmit={submitReject}
          onCancel={cancelForm}
        />
      );
    }
    const common = {
      draft: form.draft,
      fieldErrors: form.fieldErrors,
      formError: form.formError,
      onChange: (patch: Partial<Draft>) => dispatch({ type: 'editDraft', patch }),
      onCancel: cancelForm,
      onSetFromPlayer: setFromPlayer,
      onPlayDraft: () => playDraft(form.draft),
    };
    if (form.kind === 'edit') {
      return (
        <CandidateForm
          {...common}
          idPrefix={`s1-edit-${form.id}`}
          heading={`Edit candidate #${form.id}`}
          busy={isBusy(state, form.id)}
          submitLabel="Save"
          conflict={form.conflict}
          onSubmit={() => submitEdit(false)}
          onApplyToNewer={() => submitEdit(true)}
          onEditNewer={() => dispatch({ type: 'restartEditFromConflict' })}
        />
      );
    }
    return (
      <CandidateForm
        {...common}
        idPrefix="s1-new"
        heading="Add a question (it goes straight to stage 2)"
        busy={isBusy(state, NEW_KEY)}
        submitLabel="Add question"
        onSubmit={submitNew}
      />
    );
  };

  const form = state.form;
  const rowForm = form !== null && form.kind !== 'new' ? form : null;
  const rowFormVisible = rowForm !== null && visible.some((c) => c.id === rowForm.id);

  return (
    <div className="s1">
      <div className="s1-layout">
        <section className="s1-player-pane" aria-label="Player">
          <IntervalPlayer ref={playerRef} src={video.proxy_url} label={video.title} fps={video.fps} />
          <p className="s1-video-meta">
            {video.title}
            {video.duration !== null && <> · {formatTime(video.duration)}</>}
            {video.fps !== null && <> · {video.fps} fps</>}
          </p>
          <p className="s1-help">
            <span className="s1-help-title">Keys:</span>{' '}
            {SHORTCUT_HELP.map(([keys, what]) => (
              <span key={keys} className="s1-help-item">
                <kbd>{keys}</kbd> {what}
              </span>
            ))}
          </p>
        </section>

        <section className="s1-list-pane" aria-label="Candidate questions">
          <p className="s1-notice" role="status">
            {state.notice !== null && (
              <>
                {state.notice}{' '}
                <button type="button" className="s1-dismiss" onClick={() => dispatch({ type: 'dismissNotice' })}>
                  Dismiss
                </button>
              </>
            )}
          </p>
          <div className="s1-error" role="alert">
            {state.error !== null && (
              <>
                {state.error}{' '}
                <button type="button" className="s1-dismiss" onClick={() => dispatch({ type: 'dismissError' })}>
                  Dismiss
                </button>
              </>
            )}
          </div>

          <div className="s1-toolbar">
            <div className="s1-filters" role="group" aria-label="Show candidates">
              {FILTERS.map((f) => (
                <button
                  key={f}
                  type="button"
                  aria-pressed={state.filter === f}
                  onClick={() => dispatch({ type: 'setFilter', filter: f })}
                >
                  {FILTER_LABELS[f]} ({counts[f]})
                </button>
              ))}
            </div>
            {canAnnotate ? (
              <button type="button" className="s1-add" title="Add a question (n)" onClick={openNew} disabled={form?.kind === 'new'}>
                Add a question
              </button>
            ) : (
              <span className="s1-readonly">You can review this video's candidates but not change them.</span>
            )}
          </div>

          {form?.kind === 'new' && <div className="s1-new">{renderForm(form)}</div>}
          {rowForm !== null && !rowFormVisible && <div className="s1-detached">{renderForm(rowForm)}</div>}

          {visible.length === 0 ? (
            <p className="s1-empty">
              {state.filter === 'all' ? 'No candidates yet.' : `No ${FILTER_LABELS[state.filter].toLowerCase()} candidates.`}
            </p>
          ) : (
            <table className="s1-candidates" ref={tableRef}>
              <caption className="s1-visually-hidden">
                {FILTER_LABELS[state.filter]} candidates; the selected row is marked as current
              </caption>
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Category</th>
                  <th scope="col">Modality</th>
                  <th scope="col">Interval</th>
                  <th scope="col">Source</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="s1-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((c) => {
                  const busy = isBusy(state, c.id);
                  return (
                    <Fragment key={c.id}>
                      <CandidateRow
                        candidate={c}
                        selected={c.id === state.selectedId}
                        busy={busy}
                        showActions={canAnnotate}
                        actionsEnabled={isEditable(c) && !busy && openFormKey !== c.id}
                        onSelect={select}
                        onPlay={playCandidate}
                        onAccept={accept}
                        onEdit={openEdit}
                        onReject={openReject}
                      />
                      {rowForm !== null && rowForm.id === c.id && (
                        <tr className="s1-form-row">
                          <td colSpan={COLUMN_COUNT}>{renderForm(rowForm)}</td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
