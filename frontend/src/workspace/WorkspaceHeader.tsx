import { formatInterval } from '../components';
import type { SaveStatus, SyncSnapshot } from '../shared/docSync';
import { clueCount, finalInterval, refOf, type DocErrors, type EditableDoc } from './doc';
import { clueSources } from './proposals';
import type { QuestionDoc } from './types';

export type WorkspaceSnapshot = SyncSnapshot<QuestionDoc, DocErrors>;

/** The save state in words. */
export function statusText(snapshot: WorkspaceSnapshot, dirty: boolean, editable: boolean): string {
  if (!editable) return 'Read only';
  const texts: Record<SaveStatus, string> = {
    saved: dirty ? 'Unsaved changes' : 'Saved',
    pending: 'Unsaved changes',
    saving: 'Saving…',
    offline: 'Offline — changes kept in this browser',
    conflict: 'Not saved: the question changed on the server',
    invalid: 'Not saved: fix the marked problems (kept in this browser)',
    error: `Not saved: ${snapshot.message ?? 'the server refused'} (kept in this browser)`,
  };
  return texts[snapshot.status];
}

export interface WorkspaceHeaderProps {
  title: string;
  doc: EditableDoc;
  snapshot: WorkspaceSnapshot;
  fps: number;
  dirty: boolean;
  /** The saver may save (the page may be read only). */
  savable: boolean;
  /** Edits are allowed now. */
  editable: boolean;
  canUndo: boolean;
  canRedo: boolean;
  submitting: boolean;
  onUndo(): void;
  onRedo(): void;
  onSubmit(): void;
}

/** The title, the save state, the running count, the final interval and the history and submit buttons. */
export function WorkspaceHeader({
  title,
  doc,
  snapshot,
  fps,
  dirty,
  savable,
  editable,
  canUndo,
  canRedo,
  submitting,
  onUndo,
  onRedo,
  onSubmit,
}: WorkspaceHeaderProps) {
  const count = clueCount(doc);
  const sources = clueSources(doc);
  const counted = doc.clues.filter((c) => c.kind === doc.category);
  const ref = refOf(doc);
  const final = finalInterval(ref, counted, fps);
  const widened = final !== null && ref !== null && (final.start < ref.start || final.end > ref.end);
  return (
    <header className="ws-header">
      {/* One line, so the canvas never moves: a part that does not fit is cut, and whole in its tooltip. */}
      <h2 className="ws-title" title={`${title} · question #${snapshot.server.id}`}>
        {title} <span className="ws-muted">· question #{snapshot.server.id}</span>
      </h2>
      <span
        className={`ws-save ws-save-${snapshot.status}`}
        data-testid="save-status"
        role="status"
        title={statusText(snapshot, dirty, savable)}
      >
        {statusText(snapshot, dirty, savable)}
      </span>
      <span className={count === doc.drafted_answer ? 'ws-count' : 'ws-count ws-count-mismatch'} data-testid="running-count">
        Clues: {count} / Count: {doc.drafted_answer ?? '–'}
      </span>
      {sources.accepted > 0 && (
        <span
          className="ws-muted"
          data-testid="running-count-sources"
          title={`${sources.accepted} accepted proposal${sources.accepted === 1 ? '' : 's'}, ${sources.byHand} by hand`}
        >
          ({sources.accepted} accepted proposal{sources.accepted === 1 ? '' : 's'}, {sources.byHand} by hand)
        </span>
      )}
      <span
        className="ws-final"
        data-testid="final-interval"
        title={`Final interval: ${final === null ? '–' : formatInterval(final.start, final.end)}${
          widened ? ' (the clues widen the reference)' : ''}`}
      >
        Final interval: {final === null ? '–' : formatInterval(final.start, final.end)}
        {widened && <span className="ws-muted"> (the clues widen the reference)</span>}
      </span>
      <span className="ws-header-actions">
        <button type="button" onClick={onUndo} disabled={!editable || !canUndo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={onRedo} disabled={!editable || !canRedo} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button type="button" className="ws-primary" onClick={onSubmit} disabled={!editable} title="Save and submit (Ctrl+Enter)">
          {submitting ? 'Submitting…' : 'Submit'}
        </button>
      </span>
    </header>
  );
}
