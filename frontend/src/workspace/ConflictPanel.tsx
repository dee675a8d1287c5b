import { STATE_LABELS } from './DraftForm';
import { CATEGORY_LABELS, clueCount, refOf, type EditableDoc } from './doc';
import { formatInterval } from '../components';
import { editableOf } from './doc';
import { fieldList, mergeDocs, type MergeField } from './merge';
import type { QuestionDoc } from './types';

export interface ConflictPanelProps {
  mine: EditableDoc;
  theirs: QuestionDoc;
  /** What this page's edits were made on: re-apply puts back only the fields changed since then. */
  base?: EditableDoc;
  message: string;
  busy: boolean;
  /** False when the server's version can no longer be edited: only "discard" is left. */
  canReapply?: boolean;
  onReapply(): void;
  onDiscard(): void;
}

const ROWS: [label: string, show: (d: EditableDoc) => string, field: MergeField][] = [
  ['Question', (d) => d.text, 'text'],
  ['Category', (d) => CATEGORY_LABELS[d.category] ?? d.category, 'category'],
  ['Modality', (d) => d.modality, 'modality'],
  ['Drafted count', (d) => (d.drafted_answer === null ? '–' : String(d.drafted_answer)), 'drafted_answer'],
  [
    'Reference interval',
    (d) => {
      const ref = refOf(d);
      return ref === null ? '–' : formatInterval(ref.start, ref.end);
    },
    'ref',
  ],
  ['Clues', (d) => `${d.clues.length} (counting ${clueCount(d)})`, 'clues'],
  ['Clusters', (d) => (d.clusters.length === 0 ? '–' : d.clusters.map((c) => c.name).join(', ')), 'clusters'],
];

/** The server's message as a sentence: a capital first, a full stop last. */
const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** A 409: the server's newer version beside ours, and the two ways out. */
export function ConflictPanel({ mine, theirs, message, busy, base, canReapply = true, onReapply, onDiscard }: ConflictPanelProps) {
  // The plan of what re-apply will do (mergeDocs), including a proposal accepted on one side and rejected on the
  // other, which it settles this page's way and names as a collision.
  const { plan } = mergeDocs(base ?? editableOf(theirs), mine, editableOf(theirs));
  const kept = plan.theirs.filter((f) => !plan.mine.includes(f) && !plan.collisions.includes(f));
  return (
    <section className="ws-conflict" role="alert" aria-label="Conflict">
      <p className="ws-conflict-heading">
        The question was changed elsewhere (now version {theirs.version}: {STATE_LABELS[theirs.state] ?? theirs.state}).
        {message !== '' && ` ${sentence(message)}`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Yours (not saved)</th>
            <th scope="col">On the server</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([label, show, field]) => {
            const a = show(mine);
            const b = show(theirs);
            const collides = plan.collisions.includes(field);
            const className = collides ? 'ws-differs ws-collides' : a === b ? undefined : 'ws-differs';
            return (
              <tr key={label} className={className} data-field={field}>
                <th scope="row">
                  {label}
                  {collides && <span className="ws-collision-mark"> (changed on both sides)</span>}
                </th>
                <td>{a}</td>
                <td>{b}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canReapply && (
        <p className="ws-conflict-merge" data-testid="conflict-merge">
          {plan.mine.length === 0
            ? 'You changed nothing that differs from the newer version.'
            : `Re-applying puts back only what you changed: ${fieldList(plan.mine)}.`}
          {kept.length > 0 && ` Kept as on the server: ${fieldList(kept)}.`}
          {plan.collisions.length > 0 && (
            <strong className="ws-collisions" data-testid="conflict-collisions">
              {' '}
              Changed on both sides (yours will replace the server’s): {fieldList(plan.collisions)}.
            </strong>
          )}
        </p>
      )}
      <div className="ws-conflict-actions">
        {canReapply && (
          <button type="button" className="ws-primary" disabled={busy} onClick={onReapply}>
            Re-apply my changes on the newer version
          </button>
        )}
        <button type="button" disabled={busy} onClick={onDiscard}>
          Discard mine
        </button>
      </div>
    </section>
  );
}
