import { formatTime, KEEP_FOCUS } from '../components';
import { AttributeClues } from './ClusterClues';
import { BoxList, ClueItem, SecondsInput, type CluePanelProps } from './ClueParts';
import { CATEGORY_LABELS, clueKey, indexedClues, isBox, isEvent } from './doc';
import type { EventClue } from './types';

export type { CluePanelProps } from './ClueParts';

function EventClues(props: CluePanelProps) {
  const { doc, pendingStart, disabled } = props;
  const events = indexedClues(doc, isEvent);
  const timeInput = (index: number, n: number, clue: EventClue, field: 'start' | 'end') => (
    <SecondsInput
      label={`Event ${n + 1} ${field}`}
      value={clue[field]}
      disabled={disabled}
      onCommit={(value) => props.onUpdateEvent(index, { [field]: value }, field)}
    />
  );
  return (
    <>
      <div className="ws-clue-actions">
        <button type="button" {...KEEP_FOCUS} disabled={disabled} onClick={props.onStartEvent} title="Start an event at the playhead (i)">
          Start event here
        </button>
        <button type="button" {...KEEP_FOCUS} disabled={disabled} onClick={props.onEndEvent} title="End the event at the playhead (o)">
          End event here
        </button>
        {pendingStart !== null && (
          <span className="ws-pending" role="status">
            Event started at {formatTime(pendingStart)}: press o to end it
          </span>
        )}
      </div>
      {events.length === 0 ? (
        <p className="ws-empty">No events yet: press i at the start of one and o at its end.</p>
      ) : (
        <ol className="ws-clues">
          {events.map(({ index, clue }, n) => (
            <ClueItem
              key={clueKey(index)}
              index={index}
              props={props}
              link={`#${n + 1}`}
              linkTitle="Select and go to its start"
              deleteLabel={`Delete clue ${n + 1}`}
              onGo={() => props.onSeek(clue.start)}
            >
              {timeInput(index, n, clue, 'start')}
              <span aria-hidden="true">–</span>
              {timeInput(index, n, clue, 'end')}
              <span className="ws-muted">{(clue.end - clue.start).toFixed(3)} s</span>
            </ClueItem>
          ))}
        </ol>
      )}
    </>
  );
}

function ObjectClues(props: CluePanelProps) {
  const boxes = indexedClues(props.doc, isBox).filter(({ clue }) => clue.kind === 'object');
  const numbers = new Map(boxes.map(({ index }, n) => [index, n + 1]));
  return boxes.length === 0 ? (
    <p className="ws-empty">No objects yet: pause on a frame and drag a box around each one.</p>
  ) : (
    <BoxList boxes={boxes} props={props} label={(index) => `Object ${numbers.get(index) ?? '?'}`} />
  );
}

/** Stage 3: the clues of the question's category. */
export function CluePanel(props: CluePanelProps) {
  const { doc } = props;
  const others = doc.clues.filter((c) => c.kind !== doc.category).length;
  return (
    <section className="ws-clue-panel" aria-label="Clues">
      <h3>Clues · {CATEGORY_LABELS[doc.category]}</h3>
      {others > 0 && (
        <p className="ws-warning" role="alert">
          {others === 1 ? '1 clue is' : `${others} clues are`} of another category than the question's.{' '}
          <button type="button" disabled={props.disabled} onClick={props.onRemoveOtherKinds}>
            Remove {others === 1 ? 'it' : 'them'}
          </button>
        </p>
      )}
      {doc.category === 'event' && <EventClues {...props} />}
      {doc.category === 'object' && <ObjectClues {...props} />}
      {doc.category === 'attribute' && <AttributeClues {...props} />}
    </section>
  );
}
