import { useState } from 'react';
import {
  CATEGORY_LABELS,
  clueKey,
  clusterBoxCounts,
  clusterNameProblem,
  indexedClues,
  isBox,
  isEvent,
  type DocErrors,
  type EditableDoc,
} from './doc';
import { formatTime, roundMs, timeOfFrame } from './time';
import { KEEP_FOCUS } from './keyboard';
import type { BoxClue, Cluster, EventClue } from './types';

export interface CluePanelProps {
  doc: EditableDoc;
  errors: DocErrors;
  fps: number;
  selectedKey: string | null;
  selectedCluster: string | null;
  /** Where `i` started an event that `o` has not ended yet. */
  pendingStart: number | null;
  disabled: boolean;
  onSelect(key: string | null): void;
  onSeek(t: number): void;
  onSeekFrame(index: number): void;
  onUpdateEvent(index: number, patch: Partial<Pick<EventClue, 'start' | 'end'>>, field: 'start' | 'end'): void;
  onRemoveClue(index: number): void;
  onStartEvent(): void;
  onEndEvent(): void;
  onAddCluster(): void;
  onRenameCluster(index: number, name: string): void;
  onRecolorCluster(index: number, color: string): void;
  onRemoveCluster(index: number): void;
  onSelectCluster(name: string): void;
  onRemoveOtherKinds(): void;
}

const boxText = (c: BoxClue) => `(${c.x1}, ${c.y1}) – (${c.x2}, ${c.y2})`;

function ClueError({ errors, index }: { errors: DocErrors; index: number }) {
  const message = errors[`clues[${index}]`];
  return message === undefined ? null : (
    <span className="ws-field-error" data-error-key={`clues[${index}]`}>
      {message}
    </span>
  );
}

/**
 * A seconds field that may be emptied while typing a new value: what is typed
 * is committed whenever it reads as a number; leaving the field shows the
 * document's value again.
 */
function SecondsInput({
  label,
  value,
  disabled,
  onCommit,
}: {
  label: string;
  value: number;
  disabled: boolean;
  onCommit(value: number): void;
}) {
  const [text, setText] = useState<string | null>(null);
  return (
    <input
      type="number"
      step={0.001}
      min={0}
      aria-label={label}
      value={text ?? String(value)}
      disabled={disabled}
      onChange={(e) => {
        setText(e.target.value);
        const trimmed = e.target.value.trim();
        if (trimmed !== '' && Number.isFinite(Number(trimmed))) onCommit(roundMs(Number(trimmed)));
      }}
      onBlur={() => setText(null)}
    />
  );
}

function DeleteButton({ label, disabled, onClick }: { label: string; disabled: boolean; onClick(): void }) {
  return (
    <button type="button" className="ws-danger" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      ×
    </button>
  );
}

function EventClues(props: CluePanelProps) {
  const { doc, errors, selectedKey, pendingStart, disabled } = props;
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
          {events.map(({ index, clue }, n) => {
            const key = clueKey(index);
            return (
              <li
                key={key}
                className={key === selectedKey ? 'ws-clue ws-selected' : 'ws-clue'}
                data-clue-key={key}
                aria-current={key === selectedKey ? 'true' : undefined}
              >
                <button
                  type="button"
                  {...KEEP_FOCUS}
                  className="ws-link"
                  onClick={() => {
                    props.onSelect(key);
                    props.onSeek(clue.start);
                  }}
                  title="Select and go to its start"
                >
                  #{n + 1}
                </button>
                {timeInput(index, n, clue, 'start')}
                <span aria-hidden="true">–</span>
                {timeInput(index, n, clue, 'end')}
                <span className="ws-muted">{(clue.end - clue.start).toFixed(3)} s</span>
                <DeleteButton label={`Delete clue ${n + 1}`} disabled={disabled} onClick={() => props.onRemoveClue(index)} />
                <ClueError errors={errors} index={index} />
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

/** Box clues as a list grouped by frame; `numberOf` gives each box's number on the canvas. */
function BoxList({
  boxes,
  props,
  label,
}: {
  boxes: { index: number; clue: BoxClue }[];
  props: CluePanelProps;
  label: (index: number) => string;
}) {
  const { errors, selectedKey, disabled, fps } = props;
  const frames = new Map<number, { index: number; clue: BoxClue }[]>();
  for (const entry of boxes) {
    frames.set(entry.clue.frame_index, [...(frames.get(entry.clue.frame_index) ?? []), entry]);
  }
  return (
    <ul className="ws-frames">
      {[...frames.entries()]
        .sort(([a], [b]) => a - b)
        .map(([frame, entries]) => (
          <li key={frame}>
            <button type="button" {...KEEP_FOCUS} className="ws-link" onClick={() => props.onSeekFrame(frame)} title="Go to this frame">
              Frame {frame} · {formatTime(timeOfFrame(frame, fps))}
            </button>
            <ul className="ws-clues">
              {entries.map(({ index, clue }) => {
                const key = clueKey(index);
                return (
                  <li
                    key={key}
                    className={key === selectedKey ? 'ws-clue ws-selected' : 'ws-clue'}
                    data-clue-key={key}
                    aria-current={key === selectedKey ? 'true' : undefined}
                  >
                    <button
                      type="button"
                      {...KEEP_FOCUS}
                      className="ws-link"
                      onClick={() => {
                        props.onSelect(key);
                        props.onSeekFrame(frame);
                      }}
                    >
                      {label(index)}
                    </button>
                    <span className="ws-muted">{boxText(clue)}</span>
                    <DeleteButton label={`Delete ${label(index)}`} disabled={disabled} onClick={() => props.onRemoveClue(index)} />
                    <ClueError errors={errors} index={index} />
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
    </ul>
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

function ClusterRow({
  cluster,
  index,
  count,
  selected,
  props,
}: {
  cluster: Cluster;
  index: number;
  count: number;
  selected: boolean;
  props: CluePanelProps;
}) {
  const [name, setName] = useState(cluster.name);
  const [problem, setProblem] = useState<string | null>(null);
  const error = props.errors[`clusters[${index}]`];
  const commit = () => {
    if (name === cluster.name) return;
    const why = clusterNameProblem(props.doc.clusters, index, name);
    setProblem(why);
    if (why === null) props.onRenameCluster(index, name);
  };
  return (
    <li className={selected ? 'ws-cluster ws-selected' : 'ws-cluster'} data-cluster={cluster.name}>
      <button
        type="button"
        className="ws-cluster-pick"
        aria-pressed={selected}
        onClick={() => props.onSelectCluster(cluster.name)}
        title="Draw boxes in this cluster (n: next cluster)"
      >
        <span className="ws-swatch" style={{ background: cluster.color }} aria-hidden="true" />
        <span className="ws-visually-hidden">Select {cluster.name}</span>
      </button>
      <input
        type="text"
        aria-label={`Name of cluster ${index + 1}`}
        value={name}
        maxLength={100}
        disabled={props.disabled}
        onChange={(e) => setName(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <input
        type="color"
        aria-label={`Colour of cluster ${index + 1}`}
        value={cluster.color}
        disabled={props.disabled}
        onChange={(e) => props.onRecolorCluster(index, e.target.value)}
      />
      <span className={count === 0 ? 'ws-muted ws-empty-cluster' : 'ws-muted'}>
        {count === 1 ? '1 box' : `${count} boxes`}
        {count === 0 && ' (not counted)'}
      </span>
      <DeleteButton
        label={count > 0 ? `Delete cluster ${cluster.name} and its ${count} boxes` : `Delete cluster ${cluster.name}`}
        disabled={props.disabled}
        onClick={() => props.onRemoveCluster(index)}
      />
      {(problem ?? error) !== undefined && <span className="ws-field-error">{problem ?? error}</span>}
    </li>
  );
}

function AttributeClues(props: CluePanelProps) {
  const { doc, selectedCluster } = props;
  const counts = clusterBoxCounts(doc);
  const boxes = indexedClues(doc, isBox).filter(({ clue }) => clue.kind === 'attribute');
  return (
    <>
      <div className="ws-clue-actions">
        <button type="button" {...KEEP_FOCUS} disabled={props.disabled} onClick={props.onAddCluster}>
          Add a cluster
        </button>
      </div>
      {doc.clusters.length === 0 ? (
        <p className="ws-empty">No clusters yet: add one per value of the attribute, then draw its boxes.</p>
      ) : (
        <ul className="ws-clusters">
          {doc.clusters.map((cluster, index) => (
            // The name is in the key: a rename (or an undo of one) remounts the row with the name to edit.
            <ClusterRow
              key={`${index}:${cluster.name}`}
              cluster={cluster}
              index={index}
              count={counts.get(cluster.name) ?? 0}
              selected={cluster.name === selectedCluster}
              props={props}
            />
          ))}
        </ul>
      )}
      {doc.clusters.map((cluster) => {
        const own = boxes.filter(({ clue }) => clue.cluster === cluster.name);
        if (own.length === 0) return null;
        const numbers = new Map(own.map(({ index }, n) => [index, n + 1]));
        return (
          <div key={cluster.name} className="ws-cluster-boxes">
            <h4>
              <span className="ws-swatch" style={{ background: cluster.color }} aria-hidden="true" /> {cluster.name}
            </h4>
            <BoxList boxes={own} props={props} label={(index) => `${cluster.name} box ${numbers.get(index) ?? '?'}`} />
          </div>
        );
      })}
    </>
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
