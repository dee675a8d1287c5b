import { formatTime } from '../components';
import { ConflictPanel } from './ConflictPanel';
import { clueCount, finalInterval, refOf, type EditableDoc } from './doc';
import type { SubmitResult } from './types';
import type { WorkspaceSnapshot } from './WorkspaceHeader';

/** The sentence that tells the annotator where the submitted question went. */
export function outcomeText(result: SubmitResult, fps: number): string {
  const q = result.question;
  if (result.outcome === 'agreement') return 'Second pass recorded for the agreement score';
  if (result.outcome === 'pooled') {
    const final = finalInterval(refOf(q), q.clues, fps);
    return final === null
      ? 'In the pool'
      : `In the pool, final interval ${formatTime(final.start)}–${formatTime(final.end)}`;
  }
  const count = q.drafted_answer === null ? '–' : String(q.drafted_answer);
  const clues = clueCount(q);
  return `Sent to arbitration: ${clues} ${clues === 1 ? 'clue' : 'clues'} for a count of ${count}`;
}

const FIELD_NAMES: Record<string, string> = {
  text: 'Question', category: 'Category', modality: 'Modality', drafted_answer: 'Drafted count',
  ref_start: 'Reference interval', ref_end: 'Reference interval', rejected_proposals: 'Rejected proposals',
};

/** A field path as people name it: "drafted_answer" → "Drafted count", "clues[2]" → "Clue #3". */
export function fieldName(path: string): string {
  const item = /^(clues|clusters)\[(\d+)\]/.exec(path);
  if (item !== null) return `${item[1] === 'clues' ? 'Clue' : 'Cluster'} #${Number(item[2]) + 1}`;
  return FIELD_NAMES[path] ?? path;
}

/**
 * Why the server refused a save, in words: each problem under the name of its field ("Not saved. Drafted count: 1
 * clue(s) for a count of 2: ..."), instead of the server's field paths; its detail when it named no field.
 */
export function refusalText(errors: Readonly<Record<string, string>>, detail: string): string {
  const problems = Object.entries(errors).map(([path, problem]) => `${fieldName(path)}: ${problem.trim().replace(/\.$/, '')}`);
  return problems.length === 0 ? detail : `Not saved. ${problems.join('; ')}.`;
}

export interface WorkspaceNoticesProps {
  doc: EditableDoc;
  /** What this page's unsaved edits were made on (a conflict's re-apply merges against it). */
  base?: EditableDoc;
  snapshot: WorkspaceSnapshot;
  fps: number;
  submitMessage: string | null;
  outcome: SubmitResult | null;
  nextUrl: string;
  locked: boolean;
  submitting: boolean;
  /** Someone else holds the question: who and since when, and whether this user may take it over. */
  heldBy: { username: string; since: string } | null;
  canTakeOver: boolean;
  onTakeOver(): void;
  onReapply(): void;
  onDiscard(): void;
}

/**
 * What the annotator must know under the header: the outcome, a lock, a 409; save and submit problems as toasts
 * (fixed-position, out of the flow).
 */
export function WorkspaceNotices({
  doc,
  base,
  snapshot,
  fps,
  submitMessage,
  outcome,
  nextUrl,
  locked,
  submitting,
  heldBy,
  canTakeOver,
  onTakeOver,
  onReapply,
  onDiscard,
}: WorkspaceNoticesProps) {
  const conflict = snapshot.conflict;
  return (
    <>
      {/* Transient save and submit messages float in a fixed corner: they never move the layout (a box being drawn
          on the canvas stays under the pointer). */}
      <div className="ws-toasts" data-testid="toasts">
        {snapshot.status === 'invalid' && snapshot.message !== null && (
          <p className="ws-error ws-toast" role="alert" data-testid="save-toast">
            {refusalText(snapshot.errors, snapshot.message)}
          </p>
        )}
        {submitMessage !== null && (
          <p className="ws-error ws-toast" role="alert" data-testid="submit-toast">
            {submitMessage}
          </p>
        )}
      </div>
      {outcome !== null && (
        <div className={`ws-outcome ws-outcome-${outcome.outcome}`} role="status" data-testid="outcome">
          <p>
            <strong>{outcomeText(outcome, fps)}</strong>
            {/* The pool and arbitration are said above; a second pass's message has its agreement. */}
            {outcome.outcome === 'agreement' && outcome.message !== '' && <span className="ws-muted"> · {outcome.message}</span>}
          </p>
          <a href={nextUrl}>Next question</a>
        </div>
      )}
      {heldBy !== null && (
        <p className="ws-error" role="alert" data-testid="held-notice">
          {heldBy.username} is working on this question (since {new Date(heldBy.since).toLocaleTimeString()}); it is
          read only here.{' '}
          {canTakeOver && (
            <button type="button" onClick={onTakeOver} disabled={submitting}>
              Take it over
            </button>
          )}
        </p>
      )}
      {locked && heldBy === null && (
        <p className="ws-error" role="alert" data-testid="locked-notice">
          This question was submitted or is under review; it can no longer be edited here.
        </p>
      )}
      {conflict !== null && (
        <ConflictPanel
          mine={doc}
          {...(base === undefined ? {} : { base })}
          theirs={conflict.current}
          message={conflict.message}
          busy={submitting}
          canReapply={!locked}
          onReapply={onReapply}
          onDiscard={onDiscard}
        />
      )}
    </>
  );
}
