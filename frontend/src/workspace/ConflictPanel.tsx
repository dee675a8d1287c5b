import { CATEGORY_LABELS, clueCount, refOf, type EditableDoc } from './doc';
import { formatInterval } from '../components';
import type { QuestionDoc } from './types';

export interface ConflictPanelProps {
  mine: EditableDoc;
  theirs: QuestionDoc;
  message: string;
  busy: boolean;
  /** False when the server's version can no longer be edited: only "discard" is left. */
  canReapply?: boolean;
  onReapply(): void;
  onDiscard(): void;
}

const ROWS: [label: string, show: (d: EditableDoc) => string][] = [
  ['Question', (d) => d.text],
  ['Category', (d) => CATEGORY_LABELS[d.category] ?? d.category],
  ['Modality', (d) => d.modality],
  ['Drafted count', (d) => (d.drafted_answer === null ? '–' : String(d.drafted_answer))],
  [
    'Reference interval',
    (d) => {
      const ref = refOf(d);
      return ref === null ? '–' : formatInterval(ref.start, ref.end);
    },
  ],
  ['Clues', (d) => `${d.clues.length} (counting ${clueCount(d)})`],
  ['Clusters', (d) => (d.clusters.length === 0 ? '–' : d.clusters.map((c) => c.name).join(', '))],
];

/** A 409: the server's newer version beside ours, and the two ways out. */
export function ConflictPanel({ mine, theirs, message, busy, canReapply = true, onReapply, onDiscard }: ConflictPanelProps) {
  return (
    <section className="ws-conflict" role="alert" aria-label="Conflict">
      <p className="ws-conflict-heading">
        The question was changed elsewhere (now version {theirs.version}, state {theirs.state}). {message}
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
          {ROWS.map(([label, show]) => {
            const a = show(mine);
            const b = show(theirs);
            return (
              <tr key={label} className={a === b ? undefined : 'ws-differs'}>
                <th scope="row">{label}</th>
                <td>{a}</td>
                <td>{b}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
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
