import { useEffect, useMemo, useRef } from 'react';
import { ShortcutHelp } from '../components';
import { CandidateTable } from './CandidateTable';
import { formatTime } from './format';
import { IntervalPlayer } from './IntervalPlayer';
import { SHORTCUT_HELP } from './keyboard';
import { countByFilter, FILTER_LABELS, filterCandidates, FILTERS } from './list';
import { Stage1Form } from './Stage1Form';
import type { Stage1Data } from './types';
import { useStage1 } from './useStage1';
import { useStage1Keys } from './useStage1Keys';

export interface Stage1AppProps {
  data: Stage1Data;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

/**
 * Stage 1 review of one video: the annotator goes through the LLM's proposed
 * counting questions, plays each one's query interval, and accepts, edits,
 * rejects (with a reason) or adds questions by hand, mostly from the keyboard.
 * Every change carries the candidate's version; a 409 shows the newer version
 * without losing what the user typed.
 */
export function Stage1App({ data, fetchImpl }: Stage1AppProps) {
  const { video } = data;
  const page = useStage1(data, fetchImpl);
  useStage1Keys(page);
  const { state, dispatch, canAnnotate } = page;
  const tableRef = useRef<HTMLTableElement>(null);

  // Keep the selected row on screen.
  useEffect(() => {
    if (state.selectedId === null) return;
    const row = tableRef.current?.querySelector(`tr[data-candidate-id="${state.selectedId}"]`);
    if (row instanceof HTMLElement && typeof row.scrollIntoView === 'function') {
      row.scrollIntoView({ block: 'nearest' });
    }
  }, [state.selectedId]);

  const counts = useMemo(() => countByFilter(state.candidates), [state.candidates]);
  const visible = useMemo(() => filterCandidates(state.candidates, state.filter), [state.candidates, state.filter]);
  const form = state.form;
  const rowForm = form !== null && form.kind !== 'new' ? form : null;
  const rowFormVisible = rowForm !== null && visible.some((c) => c.id === rowForm.id);

  return (
    <div className="s1">
      <div className="s1-layout">
        <section className="s1-player-pane" aria-label="Player">
          <IntervalPlayer ref={page.playerRef} src={video.proxy_url} label={video.title} fps={video.fps} />
          <p className="s1-video-meta">
            {video.title}
            {video.duration !== null && <> · {formatTime(video.duration)}</>}
            {video.fps !== null && <> · {video.fps} fps</>}
          </p>
          <ShortcutHelp prefix="s1" items={SHORTCUT_HELP} />
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
                <button key={f} type="button" aria-pressed={state.filter === f} onClick={() => dispatch({ type: 'setFilter', filter: f })}>
                  {FILTER_LABELS[f]} ({counts[f]})
                </button>
              ))}
            </div>
            {canAnnotate ? (
              <button type="button" className="s1-add" title="Add a question (n)" onClick={page.openNew} disabled={form?.kind === 'new'}>
                Add a question
              </button>
            ) : (
              <span className="s1-readonly">You can review this video's candidates but not change them.</span>
            )}
          </div>

          {form?.kind === 'new' && (
            <div className="s1-new">
              <Stage1Form form={form} page={page} />
            </div>
          )}
          {rowForm !== null && !rowFormVisible && (
            <div className="s1-detached">
              <Stage1Form form={rowForm} page={page} />
            </div>
          )}

          {visible.length === 0 ? (
            <p className="s1-empty">
              {state.filter === 'all' ? 'No candidates yet.' : `No ${FILTER_LABELS[state.filter].toLowerCase()} candidates.`}
            </p>
          ) : (
            <CandidateTable visible={visible} page={page} tableRef={tableRef} />
          )}
        </section>
      </div>
    </div>
  );
}
