import type { KeyedErrors } from './errors';
import { formatSeconds } from './format';
import { KEEP_FOCUS } from '../components';
import { countsBySecond, type LocalErrors, type ReviewObject } from './reviewDoc';
import { AUDIBILITY_LABELS, type SampledSecond } from './types';

export interface ObjectPanelProps {
  objects: readonly ReviewObject[];
  /** The project's vocabulary of object names: the name field offers them. */
  labels?: readonly string[];
  selectedKey: string | null;
  seconds: readonly SampledSecond[];
  /** Problems found in the page (empty or repeated names). */
  localErrors: LocalErrors;
  /** The server's 400 messages. */
  serverErrors: KeyedErrors;
  editable: boolean;
  onSelect(objectKey: string): void;
  onRename(objectKey: string, name: string): void;
  onToggleAudibility(objectKey: string): void;
  onRemove(objectKey: string): void;
  onAdd(): void;
  /** Show a box (its second, selected). */
  onGoToBox(boxKey: string): void;
}

/** The id of an object's name field (the `r` key focuses it). */
export const nameInputId = (objectKey: string): string => `er-object-name-${objectKey}`;

interface ObjectRowProps extends Omit<ObjectPanelProps, 'objects' | 'selectedKey' | 'onAdd'> {
  object: ReviewObject;
  index: number;
  selected: boolean;
}

function ObjectRow({
  object,
  index,
  selected,
  seconds,
  localErrors,
  serverErrors,
  editable,
  onSelect,
  onRename,
  onToggleAudibility,
  onRemove,
  onGoToBox,
  labels,
}: ObjectRowProps) {
  const counts = countsBySecond(
    object,
    seconds.map((s) => s.frame_index),
  );
  const empty = counts.filter((c) => c === 0).length;
  const boxCount = object.boxes.length;
  const messages = [
    ...(localErrors[object.key] === undefined ? [] : [localErrors[object.key]!]),
    ...(serverErrors.objects[object.key] ?? []),
  ];
  const boxMessages = object.boxes.flatMap((box) =>
    (serverErrors.boxes[box.key] ?? []).map((message) => ({ box, message })),
  );
  const number = index + 1;
  const tOf = (frame: number) => seconds.find((s) => s.frame_index === frame)?.t;
  const invalid = messages.length > 0;
  return (
    <li
      className={['er-object', selected ? 'is-selected' : '', invalid || boxMessages.length > 0 ? 'has-error' : ''].join(' ').trim()}
      data-testid="object-row"
      data-index={index}
      data-key={object.key}
      data-object-id={object.id ?? ''}
      data-audibility={object.audibility}
      data-selected={selected ? 'true' : 'false'}
      onClick={() => onSelect(object.key)}
    >
      <span className="er-swatch" style={{ background: object.color }} aria-hidden="true" />
      <kbd className="er-object-number" title={number <= 9 ? `Key ${number} selects it` : undefined}>
        {number}
      </kbd>
      {editable ? (
        <input
          id={nameInputId(object.key)}
          type="text"
          className="er-object-name"
          data-testid="object-name"
          aria-label={`Object ${number} name`}
          aria-invalid={invalid ? 'true' : undefined}
          list={labels !== undefined && labels.length > 0 ? OBJECT_LABELS_ID : undefined}
          value={object.name}
          maxLength={200}
          onChange={(event) => onRename(object.key, event.target.value)}
          onFocus={() => onSelect(object.key)}
        />
      ) : (
        <span className="er-object-name" data-testid="object-name">
          {object.name}
        </span>
      )}
      {editable ? (
        <button
          type="button"
          className={`er-audibility er-audibility-${object.audibility}`}
          data-testid="object-audibility"
          aria-label={`Object ${number} audibility: ${AUDIBILITY_LABELS[object.audibility]} (a toggles)`}
          aria-pressed={object.audibility === 'audible'}
          onClick={() => onToggleAudibility(object.key)}
          {...KEEP_FOCUS}
        >
          {AUDIBILITY_LABELS[object.audibility]}
        </button>
      ) : (
        <span className={`er-audibility er-audibility-${object.audibility}`} data-testid="object-audibility">
          {AUDIBILITY_LABELS[object.audibility]}
        </span>
      )}
      <span className={`er-badge er-source-${object.source}`}>{object.source}</span>
      <span className="er-muted" data-testid="object-summary">
        {boxCount} {boxCount === 1 ? 'box' : 'boxes'}
        {empty > 0 && (
          <span className="er-missing">
            {' '}
            · no box in {empty} of {seconds.length} {seconds.length === 1 ? 'second' : 'seconds'}
          </span>
        )}
      </span>
      {editable && (
        <button
          type="button"
          className="er-danger"
          data-testid="object-remove"
          aria-label={`Remove object ${number}`}
          onClick={(event) => {
            event.stopPropagation();
            onRemove(object.key);
          }}
          {...KEEP_FOCUS}
        >
          Remove
        </button>
      )}
      {(messages.length > 0 || boxMessages.length > 0) && (
        <ul className="er-field-error" data-testid="object-errors" role="alert">
          {messages.map((message, k) => (
            <li key={`o-${k}`}>{message}</li>
          ))}
          {boxMessages.map(({ box, message }, k) => {
            const t = tOf(box.frame_index);
            return (
              <li key={`b-${k}`} data-box-key={box.key}>
                Box at {t === undefined ? `frame ${box.frame_index}` : formatSeconds(t)}: {message}{' '}
                <button
                  type="button"
                  className="er-link"
                  onClick={(event) => {
                    event.stopPropagation();
                    onGoToBox(box.key);
                  }}
                  {...KEEP_FOCUS}
                >
                  show
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/** The event's objects: name, audibility, where they lack boxes; add, rename, flip, remove. */
/** The id of the vocabulary's datalist (one per page). */
export const OBJECT_LABELS_ID = 'er-object-labels';

export function ObjectPanel(props: ObjectPanelProps) {
  const { objects, selectedKey, editable, onAdd } = props;
  return (
    <section className="er-panel" aria-label="Objects">
      <h3>
        Objects <span className="er-muted">({objects.length})</span>
      </h3>
      {objects.length === 0 ? (
        <p className="er-empty">No objects: the caption names none{editable ? '; add one if the event shows one' : ''}.</p>
      ) : (
        <ol className="er-objects" data-testid="objects">
          {objects.map((object, index) => (
            <ObjectRow key={object.key} {...props} object={object} index={index} selected={object.key === selectedKey} />
          ))}
        </ol>
      )}
      {editable && props.labels !== undefined && props.labels.length > 0 && (
        <datalist id={OBJECT_LABELS_ID} data-testid="object-labels">
          {props.labels.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
      {editable && (
        <button type="button" data-testid="add-object" onClick={onAdd} title="Add an object (o)" {...KEEP_FOCUS}>
          Add object
        </button>
      )}
    </section>
  );
}
