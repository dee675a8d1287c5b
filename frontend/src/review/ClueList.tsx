import { KEEP_FOCUS } from '../components';
import { clusterCounts, type ClueItem } from './clues';
import type { ReviewQuestion } from './types';

export interface ClueListProps {
  question: Pick<ReviewQuestion, 'category' | 'clues' | 'clusters'>;
  items: readonly ClueItem[];
  selectedKey: string | null;
  /** The clues at the player's position, marked in the list. */
  here: ReadonlySet<string>;
  /** Null: no player to go to the clue with. */
  onGoTo: ((item: ClueItem) => void) | null;
}

const KIND_NAMES = { event: 'event', object: 'object box', attribute: 'attribute box' } as const;

/** The question's clues, numbered as they are drawn; clicking one goes to it (and selects it). */
export function ClueList({ question, items, selectedKey, here, onGoTo }: ClueListProps) {
  if (items.length === 0) return <p className="rv-empty" data-testid="clue-list">No clues marked.</p>;
  const clusters = question.category === 'attribute' ? clusterCounts(question) : [];
  return (
    <>
      {clusters.length > 0 && (
        <p className="rv-clusters" data-testid="cluster-counts">
          {clusters.map((c) => (
            <span key={c.name} className={c.count === 0 ? 'rv-cluster rv-cluster-empty' : 'rv-cluster'}>
              <span className="rv-swatch" style={{ background: c.color }} aria-hidden="true" /> {c.name}{' '}
              <strong>{c.count}</strong>
            </span>
          ))}
        </p>
      )}
      <ol className="rv-clues" data-testid="clue-list" aria-label="Clues">
        {items.map((item) => {
          const selected = item.key === selectedKey;
          const classes = ['rv-clue', selected ? 'is-selected' : '', here.has(item.key) ? 'is-here' : ''].join(' ').trim();
          return (
            <li key={item.key}>
              <button
                type="button"
                className={classes}
                data-testid="clue"
                data-key={item.key}
                aria-current={selected ? 'true' : undefined}
                disabled={onGoTo === null}
                title={onGoTo === null ? undefined : `Go to this ${KIND_NAMES[item.kind]}`}
                onClick={() => onGoTo?.(item)}
                {...KEEP_FOCUS}
              >
                <span className="rv-swatch" style={{ background: item.color }} aria-hidden="true" />
                <span className="rv-clue-label">{item.label}</span>
                <span className="rv-clue-where">{item.where}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </>
  );
}
