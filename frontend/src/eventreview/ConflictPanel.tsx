import type { ReviewDoc } from './reviewDoc';
import { AUDIBILITY_LABELS, type Audibility, type EventDoc } from './types';

export interface ConflictPanelProps {
  mine: ReviewDoc;
  theirs: EventDoc;
  message: string;
  busy: boolean;
  /** False when the server's version can no longer be edited here: only "discard" is left. */
  canReapply: boolean;
  onReapply(): void;
  onDiscard(): void;
}

interface Summary {
  name: string;
  audibility: Audibility;
  boxes: number;
}

interface Row {
  mine?: Summary;
  theirs?: Summary;
}

type Listed = { id: number | null; name: string; audibility: Audibility; boxes: readonly unknown[] };

const summary = (o: Listed): Summary => ({ name: o.name.trim(), audibility: o.audibility, boxes: o.boxes.length });

/** The objects side by side: the same server id on one row, else the same name. */
function pair(mine: readonly Listed[], theirs: readonly Listed[]): Row[] {
  const rows: Row[] = theirs.map((o) => ({ theirs: summary(o) }));
  const left = new Set(rows.map((_, i) => i));
  for (const o of mine) {
    let at = o.id === null ? -1 : theirs.findIndex((t) => t.id === o.id);
    if (at < 0 || !left.has(at)) at = theirs.findIndex((t, i) => left.has(i) && t.name.trim() === o.name.trim());
    if (at >= 0 && left.has(at)) {
      rows[at]!.mine = summary(o);
      left.delete(at);
    } else {
      rows.push({ mine: summary(o) });
    }
  }
  return rows;
}

const describe = (s: Summary | undefined): string =>
  s === undefined
    ? '–'
    : `${s.name || '(unnamed)'} · ${AUDIBILITY_LABELS[s.audibility]} · ${s.boxes} ${s.boxes === 1 ? 'box' : 'boxes'}`;

/** A 409: the server's newer version beside ours (object by object), and the two ways out. */
export function ConflictPanel({ mine, theirs, message, busy, canReapply, onReapply, onDiscard }: ConflictPanelProps) {
  const rows = pair(mine.objects, theirs.objects);
  return (
    <section className="er-conflict" role="alert" aria-label="Conflict" data-testid="conflict-panel">
      <p className="er-conflict-heading">
        The event was changed elsewhere (now version {theirs.version}, {theirs.state}). {message}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Yours (not saved)</th>
            <th scope="col">On the server</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const mineText = describe(row.mine);
            const theirText = describe(row.theirs);
            return (
              <tr key={i} className={mineText === theirText ? undefined : 'er-differs'}>
                <td>{mineText}</td>
                <td>{theirText}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!canReapply && <p>The server's version can no longer be edited here.</p>}
      <div className="er-conflict-actions">
        {canReapply && (
          <button type="button" className="er-primary" disabled={busy} onClick={onReapply}>
            Re-apply my changes
          </button>
        )}
        <button type="button" disabled={busy} onClick={onDiscard}>
          Discard mine
        </button>
      </div>
    </section>
  );
}
