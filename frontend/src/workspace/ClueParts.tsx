import { useState, type ReactNode } from 'react';
import { formatTime, KEEP_FOCUS, roundMs, timeOfFrame } from '../components';
import { clueKey, type DocErrors, type EditableDoc } from './doc';
import type { BoxClue, EventClue } from './types';

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
  /** The project's vocabulary of cluster names, offered by the name fields. */
  clusterLabels?: readonly string[];
}

const boxText = (c: BoxClue) => `(${c.x1}, ${c.y1}) – (${c.x2}, ${c.y2})`;

export function ClueError({ errors, index }: { errors: DocErrors; index: number }) {
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
export function SecondsInput({
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

export function DeleteButton({ label, disabled, onClick }: { label: string; disabled: boolean; onClick(): void }) {
  return (
    <button type="button" className="ws-danger" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      ×
    </button>
  );
}

/** Box clues as a list grouped by frame; `numberOf` gives each box's number on the canvas. */
export function BoxList({
  boxes,
  props,
  label,
}: {
  boxes: { index: number; clue: BoxClue }[];
  props: CluePanelProps;
  label: (index: number) => string;
}) {
  const { fps } = props;
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
              {entries.map(({ index, clue }) => (
                <ClueItem
                  key={clueKey(index)}
                  index={index}
                  props={props}
                  link={label(index)}
                  deleteLabel={`Delete ${label(index)}`}
                  onGo={() => props.onSeekFrame(frame)}
                >
                  <span className="ws-muted">{boxText(clue)}</span>
                </ClueItem>
              ))}
            </ul>
          </li>
        ))}
    </ul>
  );
}


export interface ClueItemProps {
  index: number;
  props: CluePanelProps;
  /** The link's text: it selects the clue and goes to it (`onGo`). */
  link: ReactNode;
  linkTitle?: string;
  deleteLabel: string;
  onGo(): void;
  /** What is shown of the clue between the link and the delete button. */
  children: ReactNode;
}

/** One clue in a list: its link (select and go to it), what it is, its delete button and its error. */
export function ClueItem({ index, props, link, linkTitle, deleteLabel, onGo, children }: ClueItemProps) {
  const key = clueKey(index);
  const selected = key === props.selectedKey;
  return (
    <li className={selected ? 'ws-clue ws-selected' : 'ws-clue'} data-clue-key={key} aria-current={selected ? 'true' : undefined}>
      <button
        type="button"
        {...KEEP_FOCUS}
        className="ws-link"
        onClick={() => {
          props.onSelect(key);
          onGo();
        }}
        title={linkTitle}
      >
        {link}
      </button>
      {children}
      <DeleteButton label={deleteLabel} disabled={props.disabled} onClick={() => props.onRemoveClue(index)} />
      <ClueError errors={props.errors} index={index} />
    </li>
  );
}
