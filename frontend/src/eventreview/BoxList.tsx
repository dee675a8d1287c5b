import type { KeyedErrors } from './errors';
import { boxOrigin, formatSeconds } from './format';
import { KEEP_FOCUS } from '../components';
import { isEdited, type ReviewBox, type ReviewObject } from './reviewDoc';

export interface BoxListProps {
  /** The boxes of the second shown, object by object. */
  items: readonly { object: ReviewObject; box: ReviewBox }[];
  objects: readonly ReviewObject[];
  t: number | null;
  selectedKey: string | null;
  serverErrors: KeyedErrors;
  editable: boolean;
  onSelect(boxKey: string): void;
  onDelete(boxKey: string): void;
}

const coords = (b: ReviewBox): string => `(${b.x1}, ${b.y1}) – (${b.x2}, ${b.y2})`;

/** The boxes of the second shown: whose, the model's score, edited or new; the objects without one. */
export function BoxList({ items, objects, t, selectedKey, serverErrors, editable, onSelect, onDelete }: BoxListProps) {
  const without = objects.filter((o) => !items.some((item) => item.object.key === o.key));
  return (
    <section className="er-panel" aria-label="Boxes at this second">
      <h3>
        Boxes {t === null ? '' : `at ${formatSeconds(t)}`} <span className="er-muted">({items.length})</span>
      </h3>
      {items.length === 0 ? (
        <p className="er-empty">No boxes at this second.</p>
      ) : (
        <ul className="er-boxes" data-testid="boxes">
          {items.map(({ object, box }) => {
            const number = object.boxes.filter((b) => b.frame_index === box.frame_index).indexOf(box) + 1;
            const selected = box.key === selectedKey;
            const errors = serverErrors.boxes[box.key] ?? [];
            return (
              <li
                key={box.key}
                className={['er-box', selected ? 'is-selected' : '', errors.length > 0 ? 'has-error' : ''].join(' ').trim()}
                data-testid="box-row"
                data-key={box.key}
                data-box-id={box.id ?? ''}
                data-object-key={object.key}
                data-source={box.source}
                data-edited={isEdited(box) ? 'true' : 'false'}
                data-selected={selected ? 'true' : 'false'}
                onClick={() => onSelect(box.key)}
              >
                <span className="er-swatch" style={{ background: object.color }} aria-hidden="true" />
                <span className="er-box-name">
                  {object.name} #{number}
                </span>
                <span className={isEdited(box) ? 'er-badge er-edited' : 'er-badge'} data-testid="box-origin">
                  {boxOrigin(box)}
                </span>
                <span className="er-muted er-coords">{coords(box)}</span>
                {editable && (
                  <button
                    type="button"
                    className="er-danger"
                    aria-label={`Delete box ${object.name} #${number}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      onDelete(box.key);
                    }}
                    {...KEEP_FOCUS}
                  >
                    Delete
                  </button>
                )}
                {errors.length > 0 && (
                  <ul className="er-field-error" data-testid="box-errors" role="alert">
                    {errors.map((message, k) => (
                      <li key={k}>{message}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {without.length > 0 && (
        <p className="er-missing" data-testid="objects-without-box">
          No box here for {without.map((o) => o.name.trim() || '(unnamed)').join(', ')} (released as [0, 0, 0, 0]).
        </p>
      )}
    </section>
  );
}
