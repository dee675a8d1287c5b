import type { ReactNode } from 'react';
import { KEEP_FOCUS } from '../keyboard';
import { formatTime, frameAt } from '../time';
import { GoToField } from './GoToField';
import type { MediaClock } from './useMediaClock';

export const PLAYBACK_RATES: readonly number[] = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];

export interface PlayerProps {
  src: string;
  label: string;
  fps: number;
  frameCount: number;
  /** Frame size, for the aspect ratio of the picture and of the box canvas over it. */
  width: number;
  height: number;
  clock: MediaClock;
  onMedia(element: HTMLVideoElement | null): void;
  onTogglePlay(): void;
  onFrameStep(delta: -1 | 1): void;
  onSeekBy(seconds: number): void;
  onRate(rate: number): void;
  /** Drawn over the picture while paused (the box canvas). */
  overlay?: ReactNode;
  /** Shows a go-to field (a time or a frame index; Enter seeks) in the controls. */
  goTo?: { duration: number; onSeekTo(time: number): void; onSeekFrame(frame: number): void };
}

/** The proxy video with frame-accurate controls and the position always shown. */
export function Player({
  src,
  label,
  fps,
  frameCount,
  width,
  height,
  clock,
  onMedia,
  onTogglePlay,
  onFrameStep,
  onSeekBy,
  onRate,
  overlay,
  goTo,
}: PlayerProps) {
  const { time, playing, rate } = clock;
  const frame = frameAt(time, fps, frameCount);
  return (
    <div className="ws-player">
      <div className="ws-stage" style={{ aspectRatio: `${width} / ${height}` }}>
        <video ref={onMedia} src={src} preload="metadata" aria-label={label} playsInline />
        {overlay !== undefined && overlay !== null && (
          <div className={playing ? 'ws-overlay ws-overlay-hidden' : 'ws-overlay'}>{overlay}</div>
        )}
      </div>
      <div className="ws-controls" role="group" aria-label="Playback">
        <button type="button" {...KEEP_FOCUS} onClick={() => onSeekBy(-5)} aria-label="Back 5 s" title="Back 5 s (Shift+←)">
          −5 s
        </button>
        <button type="button" {...KEEP_FOCUS} onClick={() => onSeekBy(-1)} aria-label="Back 1 s" title="Back 1 s (←)">
          −1 s
        </button>
        <button type="button" {...KEEP_FOCUS} onClick={() => onFrameStep(-1)} aria-label="Previous frame" title="Previous frame (,)">
          ◀|
        </button>
        <button type="button" {...KEEP_FOCUS} className="ws-play" onClick={onTogglePlay} title="Play / pause (Space)">
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" {...KEEP_FOCUS} onClick={() => onFrameStep(1)} aria-label="Next frame" title="Next frame (.)">
          |▶
        </button>
        <button type="button" {...KEEP_FOCUS} onClick={() => onSeekBy(1)} aria-label="Forward 1 s" title="Forward 1 s (→)">
          +1 s
        </button>
        <button type="button" {...KEEP_FOCUS} onClick={() => onSeekBy(5)} aria-label="Forward 5 s" title="Forward 5 s (Shift+→)">
          +5 s
        </button>
        <label className="ws-rate">
          Speed{' '}
          <select
            value={String(rate)}
            onChange={(e) => {
              onRate(Number(e.target.value));
              // Give the keys back to the shortcuts (a focused select takes arrows and letters).
              e.currentTarget.blur();
            }}
          >
            {PLAYBACK_RATES.map((r) => (
              <option key={r} value={String(r)}>
                {r}×
              </option>
            ))}
          </select>
        </label>
        {goTo !== undefined && (
          <GoToField frameCount={frameCount} duration={goTo.duration} onSeekTo={goTo.onSeekTo} onSeekFrame={goTo.onSeekFrame} />
        )}
        <span className="ws-position" data-testid="position" aria-live="off">
          {formatTime(time)} · frame {frame}
        </span>
      </div>
    </div>
  );
}
