import { useMemo } from 'react';
import { BoxCanvas, frameUrl, KEEP_FOCUS, ShortcutHelp, type CanvasBox } from '../components';
import { Filmstrip } from './Filmstrip';
import { formatScore, formatSeconds, withAlpha } from './format';
import { SHORTCUT_HELP } from './keyboard';
import { isEdited, type ReviewBox, type ReviewObject } from './reviewDoc';
import { trackedCanvasBoxes } from './tracking';
import type { ReviewAssist } from './useReviewAssist';
import type { ReviewCommands } from './useReviewCommands';
import type { EventVideo } from './types';

/** The opacity of the boxes of objects other than the selected one. */
const DIMMED = 0.55;

/** The boxes of the second as the canvas draws them: the selected object's on top and in full colour, the others dimmed. */
export function canvasBoxes(items: readonly { object: ReviewObject; box: ReviewBox }[], selectedObjectKey: string | null): CanvasBox[] {
  const ordered = [
    ...items.filter((item) => item.object.key !== selectedObjectKey),
    ...items.filter((item) => item.object.key === selectedObjectKey),
  ];
  return ordered.map(({ object, box }) => {
    const parts = [object.name.trim() || '(unnamed)'];
    if (box.score !== null) parts.push(formatScore(box.score));
    if (isEdited(box)) parts.push('edited');
    else if (box.id === null) parts.push('new');
    return {
      key: box.key,
      x1: box.x1,
      y1: box.y1,
      x2: box.x2,
      y2: box.y2,
      color: object.key === selectedObjectKey ? object.color : withAlpha(object.color, DIMMED),
      label: parts.join(' · '),
    };
  });
}

export interface FramePaneProps {
  video: EventVideo;
  objects: ReviewObject[];
  commands: ReviewCommands;
  editable: boolean;
  hint: string | null;
  /** Click-to-box and tracking; absent in read-only views. */
  assist?: ReviewAssist;
}

/** The second shown: its bar, its frame with the boxes over it, the filmstrip of the seconds, the hint and the keys. */
export function FramePane({ video, objects, commands, editable, hint, assist }: FramePaneProps) {
  const { seconds, current, second, frame, items, selectedObject, selectedObjectKey, selectedBoxKey } = commands;
  const pending = assist?.pending;
  const trackedName = objects.find((o) => o.key === assist?.here?.objectKey)?.name.trim() || 'object';
  const boxes = useMemo(
    () => [...canvasBoxes(items, selectedObjectKey), ...trackedCanvasBoxes(pending ?? [], frame, trackedName)],
    [items, selectedObjectKey, pending, frame, trackedName],
  );
  return (
    <section className="er-frame-pane" aria-label="Frame">
      <div className="er-second-bar">
        <button type="button" onClick={() => commands.showSecond(current - 1)} disabled={current <= 0} aria-label="Previous second" {...KEEP_FOCUS}>
          ◀
        </button>
        <span className="er-second-label" data-testid="current-second" data-index={current} data-frame={frame ?? ''}>
          {second === null
            ? 'No sampled seconds'
            : `Second ${current + 1} / ${seconds.length} · ${formatSeconds(second.t)} · frame ${second.frame_index}`}
        </span>
        <button
          type="button"
          onClick={() => commands.showSecond(current + 1)}
          disabled={current >= seconds.length - 1}
          aria-label="Next second"
          {...KEEP_FOCUS}
        >
          ▶
        </button>
        <span className="er-drawing-for" data-testid="drawing-for">
          {selectedObject === undefined ? (
            'No object selected'
          ) : (
            <>
              <span className="er-swatch" style={{ background: selectedObject.color }} aria-hidden="true" />{' '}
              {editable ? 'Drawing boxes for ' : 'Selected: '}
              <strong>{selectedObject.name.trim() || '(unnamed)'}</strong>
            </>
          )}
        </span>
      </div>
      {second === null ? (
        <p className="er-empty">This event has no sampled seconds.</p>
      ) : (
        <BoxCanvas
          imageUrl={frameUrl(video.frame_url_template, second.frame_index)}
          frameWidth={video.width}
          frameHeight={video.height}
          boxes={boxes}
          selectedKey={selectedBoxKey}
          drawColor={selectedObject?.color ?? '#ffffff'}
          disabled={!editable}
          onSelect={commands.selectBox}
          onCreate={commands.createBox}
          onChange={commands.changeBox}
          onDelete={commands.deleteBox}
          onPointClick={assist?.armed === true && editable ? (p) => void assist.click(p) : undefined}
          busy={assist?.busy ?? null}
        />
      )}
      {assist?.available === true && (
        <div className="er-assist" data-testid="er-assist">
          <button
            type="button"
            className={assist.armed ? 'er-toggle is-on' : 'er-toggle'}
            aria-pressed={assist.armed}
            onClick={assist.toggle}
            title="c"
            {...KEEP_FOCUS}
          >
            Click-to-box {assist.armed ? 'on' : 'off'}
          </button>
          <button type="button" onClick={assist.track} disabled={selectedBoxKey === null || assist.busy !== null} title="t" {...KEEP_FOCUS}>
            Track the selected box
          </button>
          {assist.pending.length > 0 && (
            <span className="er-tracked" data-testid="tracked-pending">
              {assist.pending.length} tracked to confirm
              {assist.here !== null && (
                <>
                  {' '}
                  <button type="button" onClick={assist.confirm} {...KEEP_FOCUS}>
                    Keep (Enter)
                  </button>{' '}
                  <button type="button" onClick={assist.drop} {...KEEP_FOCUS}>
                    Drop (x)
                  </button>
                </>
              )}
            </span>
          )}
        </div>
      )}
      <Filmstrip
        seconds={seconds}
        objects={objects}
        currentIndex={current}
        selectedObjectKey={selectedObjectKey}
        frameUrlTemplate={video.frame_url_template}
        onSelect={commands.showSecond}
      />
      <p className="er-hint" role="status" data-testid="hint">
        {hint}
      </p>
      <ShortcutHelp prefix="er" items={SHORTCUT_HELP} />
    </section>
  );
}
