import { useCallback, useMemo, useRef, useState } from 'react';
import { useLatest } from '../shared/hooks';
import { Store, useStore } from '../shared/store';
import { acceptCandidate, createCandidate, rejectCandidate, reopenCandidate, updateCandidate, type ApiContext } from './api';
import type { IntervalField } from './CandidateForm';
import { changedFields, validateDraft, type Draft } from './draft';
import { parseSeconds, playableInterval, roundTenth, secondsToInput } from './format';
import type { IntervalPlayerHandle } from './IntervalPlayer';
import { isEditable } from './list';
import { requestRunner } from './requests';
import { formKey, initialState, NEW_KEY, reducer } from './state';
import type { Stage1Data } from './types';

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * The stage 1 page's state (a reducer store) and what the annotator does:
 * select and play candidates, accept them, open, fill and send the edit,
 * reject and add forms. Handlers read the newest state from the store, so
 * the keyboard listener and the memoized rows' callbacks never go stale.
 */
export function useStage1({ video, urls, csrf_token: csrfToken, can_annotate: canAnnotate, candidates }: Stage1Data, fetchImpl?: typeof fetch) {
  const [store] = useState(() => new Store(reducer, initialState(candidates)));
  const state = useStore(store);
  const { dispatch, getState } = store;
  const [run] = useState(() => requestRunner(dispatch));
  const playerRef = useRef<IntervalPlayerHandle>(null);
  const ctx = useMemo<ApiContext>(() => ({ urls, csrfToken, fetchImpl: fetchImpl ?? defaultFetch }), [urls, csrfToken, fetchImpl]);
  const ctxRef = useLatest(ctx);

  const find = (id: number) => getState().candidates.find((c) => c.id === id) ?? null;

  const select = useCallback((id: number) => dispatch({ type: 'select', id }), [dispatch]);

  const playCandidate = useCallback(
    (id: number) => {
      const c = getState().candidates.find((x) => x.id === id);
      if (c === undefined) return;
      dispatch({ type: 'select', id });
      const { start, end } = playableInterval(c.query_start, c.query_end, video.duration);
      playerRef.current?.playInterval(start, end);
    },
    [dispatch, getState, video.duration],
  );

  const accept = useCallback(
    (id: number) => {
      const c = getState().candidates.find((x) => x.id === id);
      // Not while this row's form is open: the form's Save / Reject is the way out.
      if (!canAnnotate || c === undefined || !isEditable(c) || formKey(getState().form) === id) return;
      void run(id, 'accept', () => acceptCandidate(ctxRef.current, c));
    },
    [canAnnotate, getState, run, ctxRef],
  );

  const reopen = useCallback(
    (id: number) => {
      const c = getState().candidates.find((x) => x.id === id);
      const url = ctxRef.current.urls.reopen;
      if (!canAnnotate || c === undefined || c.state !== 'rejected' || url === undefined) return;
      void run(id, 'reopen', () => reopenCandidate(ctxRef.current, url, c));
    },
    [canAnnotate, getState, run, ctxRef],
  );

  const openEdit = useCallback(
    (id: number) => {
      if (canAnnotate) dispatch({ type: 'openEdit', id });
    },
    [canAnnotate, dispatch],
  );
  const openReject = useCallback(
    (id: number) => {
      if (canAnnotate) dispatch({ type: 'openReject', id });
    },
    [canAnnotate, dispatch],
  );
  const openNew = useCallback(() => {
    if (canAnnotate) dispatch({ type: 'openNew', duration: video.duration });
  }, [canAnnotate, dispatch, video.duration]);
  const cancelForm = useCallback(() => dispatch({ type: 'cancelForm' }), [dispatch]);

  const submitReject = () => {
    const form = getState().form;
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
    const form = getState().form;
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
    const form = getState().form;
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

  return {
    store,
    state,
    dispatch,
    canAnnotate,
    playerRef,
    find,
    select,
    playCandidate,
    accept,
    reopen,
    /** The server offers undoing a rejection. */
    canReopen: canAnnotate && urls.reopen !== undefined,
    openEdit,
    openReject,
    openNew,
    cancelForm,
    submitReject,
    submitEdit,
    submitNew,
    setFromPlayer,
    playDraft,
  };
}

export type Stage1Page = ReturnType<typeof useStage1>;
