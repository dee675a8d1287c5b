import { useMemo, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { BoxCanvas, frameUrl, KEEP_FOCUS, leaveTypingTarget, ShortcutHelp, type CanvasBox } from '../components';
import { useKeyCommands } from '../shared/hooks';
import { boxesOnFrame, eventFrames, missingOn, objectEntries, objectOfBox, type EventFrame, type ObjectEntry } from './frames';
import { EVENT_HELP, eventCommandForKey, type Command } from './keyboard';
import type { EventVideo, ReviewEvent } from './types';

export interface EventFramesProps {
  event: ReviewEvent;
  video: EventVideo;
  /** Where the object list goes (the page's side panel); null: not shown. */
  objectListTarget: Element | null;
}

const ignore = () => {};

/** "1.3 s": seconds with at most two decimals. */
export const seconds = (t: number): string => `${t.toFixed(2).replace(/\.?0+$/, '')} s`;

const AUDIBILITY = { audible: 'visible and audible', visible_only: 'visible only' } as const;

/**
 * An R-AVST event under audit, read-only: the frame of one sampled second
 * large with every object's boxes on it, and all of the event's sampled
 * frames in a strip with their boxes; (in the side panel) the objects, one
 * colour each, selecting one brings its boxes forward.
 */
export function EventFrames({ event, video, objectListTarget }: EventFramesProps) {
  const frames = useMemo(() => eventFrames(event), [event]);
  const entries = useMemo(() => objectEntries(event, frames), [event, frames]);
  const [current, setCurrent] = useState(0);
  const [selectedObject, setSelectedObject] = useState<number | null>(null);
  const [selectedBox, setSelectedBox] = useState<string | null>(null);
  const template = video.frame_url_template;
  const drawable = template !== null && video.width > 0 && video.height > 0;
  const shown = frames[current];

  const select = (object: number | null) => {
    setSelectedObject(object);
    setSelectedBox(null);
  };
  const run = (command: Command, target: EventTarget | null) => {
    if (command.type === 'step') setCurrent((i) => Math.min(Math.max(i + command.direction, 0), Math.max(frames.length - 1, 0)));
    else if (command.type === 'escape' && !leaveTypingTarget(target)) select(null);
  };
  useKeyCommands(eventCommandForKey, run);

  const list =
    objectListTarget !== null &&
    createPortal(<ObjectList entries={entries} selected={selectedObject} onSelect={(id) => select(id === selectedObject ? null : id)} />, objectListTarget);

  if (!drawable || shown === undefined) {
    return (
      <>
        <p className="rv-empty rv-no-media" role="status">
          {drawable ? 'This event has no sampled seconds.' : 'The video has no processed proxy: its frames cannot be shown.'}
        </p>
        {list}
      </>
    );
  }
  const aspect = { '--rv-aspect': String(video.width / video.height) } as CSSProperties;
  return (
    <div className="rv-event-media">
      <div className="rv-second-bar">
        <button type="button" onClick={() => run({ type: 'step', direction: -1 }, null)} disabled={current <= 0} aria-label="Previous second" {...KEEP_FOCUS}>
          ◀
        </button>
        <span className="rv-second-label" data-testid="current-second" data-frame={shown.frame}>
          Second {current + 1} / {frames.length} · {seconds(shown.t)} · frame {shown.frame}
        </span>
        <button
          type="button"
          onClick={() => run({ type: 'step', direction: 1 }, null)}
          disabled={current >= frames.length - 1}
          aria-label="Next second"
          {...KEEP_FOCUS}
        >
          ▶
        </button>
        <span className="rv-event-span">
          Event {seconds(event.event.start)} – {seconds(event.event.end)}
        </span>
      </div>
      <div className="rv-frame" style={aspect}>
        <BoxCanvas
          imageUrl={frameUrl(template, shown.frame)}
          frameWidth={video.width}
          frameHeight={video.height}
          boxes={boxesOnFrame(event, entries, shown.frame, selectedObject)}
          selectedKey={selectedBox}
          drawColor="#ffffff"
          disabled
          onSelect={(key) => {
            setSelectedBox(key);
            setSelectedObject(objectOfBox(event, key));
          }}
          onCreate={ignore}
          onChange={ignore}
          onDelete={ignore}
        />
      </div>
      <ol className="rv-filmstrip" data-testid="event-frames" aria-label="The event's sampled seconds">
        {frames.map((f, i) => (
          <li key={`${f.frame}-${i}`}>
            <FrameThumb
              frame={f}
              index={i}
              current={i === current}
              url={frameUrl(template, f.frame)}
              width={video.width}
              height={video.height}
              boxes={boxesOnFrame(event, entries, f.frame, selectedObject)}
              missing={missingOn(event, f.frame)}
              onSelect={() => setCurrent(i)}
            />
          </li>
        ))}
      </ol>
      <ShortcutHelp prefix="rv" items={EVENT_HELP} />
      {list}
    </div>
  );
}

interface FrameThumbProps {
  frame: EventFrame;
  index: number;
  current: boolean;
  url: string;
  width: number;
  height: number;
  boxes: CanvasBox[];
  /** Objects without a box on this frame. */
  missing: number;
  onSelect(): void;
}

/** One sampled second in the strip: its frame with the boxes drawn small, its time, and a mark where an object has none. */
function FrameThumb({ frame, index, current, url, width, height, boxes, missing, onSelect }: FrameThumbProps) {
  return (
    <button
      type="button"
      className={current ? 'rv-thumb is-current' : 'rv-thumb'}
      data-testid="event-frame"
      data-frame={frame.frame}
      data-boxes={boxes.length}
      aria-current={current ? 'true' : undefined}
      aria-label={`Second ${index + 1}: ${seconds(frame.t)}, frame ${frame.frame}, ${boxes.length} ${boxes.length === 1 ? 'box' : 'boxes'}`}
      onClick={onSelect}
      {...KEEP_FOCUS}
    >
      <span className="rv-thumb-picture" style={{ aspectRatio: `${width} / ${height}` }}>
        <img src={url} alt="" loading="lazy" draggable={false} />
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
          {boxes.map((b) => (
            <rect
              key={b.key}
              data-testid="frame-box"
              x={b.x1}
              y={b.y1}
              width={b.x2 - b.x1}
              height={b.y2 - b.y1}
              fill="none"
              stroke={b.color}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </svg>
      </span>
      <span className="rv-thumb-caption">
        {seconds(frame.t)}
        {missing > 0 && (
          <span className="rv-thumb-missing" title={`${missing} object(s) without a box here (released as [0, 0, 0, 0])`}>
            {' '}
            ∅{missing}
          </span>
        )}
      </span>
    </button>
  );
}

interface ObjectListProps {
  entries: readonly ObjectEntry[];
  selected: number | null;
  onSelect(id: number): void;
}

function ObjectList({ entries, selected, onSelect }: ObjectListProps) {
  if (entries.length === 0) return <p className="rv-empty" data-testid="object-list">No objects.</p>;
  return (
    <ul className="rv-clues" data-testid="object-list" aria-label="Objects">
      {entries.map((e) => (
        <li key={e.id}>
          <button
            type="button"
            className={e.id === selected ? 'rv-clue is-selected' : 'rv-clue'}
            data-testid="object"
            aria-pressed={e.id === selected}
            title="Bring its boxes forward"
            onClick={() => onSelect(e.id)}
            {...KEEP_FOCUS}
          >
            <span className="rv-swatch" style={{ background: e.color }} aria-hidden="true" />
            <span className="rv-clue-label">{e.name.trim() || '(unnamed)'}</span>
            <span className={`rv-audibility rv-audibility-${e.audibility}`}>{AUDIBILITY[e.audibility]}</span>
            <span className="rv-clue-where">
              {e.boxes} {e.boxes === 1 ? 'box' : 'boxes'}
              {e.missing > 0 && <span className="rv-missing"> · none in {e.missing} s</span>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
