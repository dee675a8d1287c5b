import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { formatInterval, formatTime } from './format';

/** What the page may ask of the player. */
export interface IntervalPlayerHandle {
  /** Seeks to `start`, plays, and pauses at `end` (an infinite end plays to the end of the media). */
  playInterval(start: number, end: number): void;
  /** The playback position in seconds, or null when there is no video. */
  currentTime(): number | null;
  /** Pauses and forgets the interval being played. */
  stop(): void;
}

export interface IntervalPlayerProps {
  src: string | null;
  /** Accessible name of the video element. */
  label: string;
  /** Frames per second of the proxy, if known: the per-frame end check allows half a frame. */
  fps?: number | null;
  ref?: Ref<IntervalPlayerHandle>;
}

/** A seek back further than this before the interval's start (or past its end) cancels the stop. */
const SEEK_SLACK = 0.25;

/**
 * A `<video controls>` that can play one interval: a `timeupdate` listener
 * pauses at the end, and where the browser has `requestVideoFrameCallback`
 * a per-frame check does so within a frame (timeupdate alone fires only
 * every ~250 ms). Seeking away by hand cancels the pending stop.
 */
export function IntervalPlayer({ src, label, fps = null, ref }: IntervalPlayerProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  /** The interval whose end is pending, or null. */
  const guard = useRef<{ start: number; end: number } | null>(null);
  const frameRequest = useRef<number | null>(null);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState<{ start: number; end: number } | null>(null);

  const clearGuard = useCallback(() => {
    guard.current = null;
    const video = videoRef.current;
    if (frameRequest.current !== null && video !== null && 'cancelVideoFrameCallback' in video) {
      video.cancelVideoFrameCallback(frameRequest.current);
    }
    frameRequest.current = null;
  }, []);

  const stopAtEnd = useCallback(
    (video: HTMLVideoElement) => {
      const end = guard.current?.end;
      if (end === undefined) {
        return;
      }
      clearGuard();
      video.pause();
      if (video.currentTime > end) {
        video.currentTime = end;
      }
      setTime(video.currentTime);
    },
    [clearGuard],
  );

  const watchFrames = useCallback(
    (video: HTMLVideoElement) => {
      if (!('requestVideoFrameCallback' in video) || typeof video.requestVideoFrameCallback !== 'function') {
        return;
      }
      const halfFrame = fps !== null && fps > 0 ? 0.5 / fps : 0.02;
      const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
        frameRequest.current = null;
        const end = guard.current?.end;
        if (end === undefined) {
          return;
        }
        if (metadata.mediaTime + halfFrame >= end) {
          stopAtEnd(video);
          return;
        }
        frameRequest.current = video.requestVideoFrameCallback(onFrame);
      };
      frameRequest.current = video.requestVideoFrameCallback(onFrame);
    },
    [fps, stopAtEnd],
  );

  const playInterval = useCallback(
    (start: number, end: number) => {
      const video = videoRef.current;
      if (video === null) {
        return;
      }
      clearGuard();
      const from = Number.isFinite(start) && start > 0 ? start : 0;
      video.currentTime = from;
      setTime(from);
      if (Number.isFinite(end) && end > from) {
        guard.current = { start: from, end };
        watchFrames(video);
      }
      setPlaying({ start: from, end });
      const promise = video.play() as Promise<void> | undefined;
      // A rejected play() (autoplay policy, or interrupted by the next seek) is not an error here.
      promise?.catch?.(() => {});
    },
    [clearGuard, watchFrames],
  );

  const stop = useCallback(() => {
    clearGuard();
    videoRef.current?.pause();
  }, [clearGuard]);

  useImperativeHandle(
    ref,
    () => ({
      playInterval,
      currentTime: () => videoRef.current?.currentTime ?? null,
      stop,
    }),
    [playInterval, stop],
  );

  useEffect(() => {
    const video = videoRef.current;
    if (video === null) {
      return undefined;
    }
    const onTime = () => {
      setTime(video.currentTime);
      const g = guard.current;
      if (g !== null && video.currentTime >= g.end) {
        stopAtEnd(video);
      }
    };
    const onSeeking = () => {
      const g = guard.current;
      if (g !== null && (video.currentTime < g.start - SEEK_SLACK || video.currentTime > g.end)) {
        clearGuard();
      }
      setTime(video.currentTime);
    };
    const onEnded = () => clearGuard();
    video.addEventListener('timeupdate', onTime);
    video.addEventListener('seeking', onSeeking);
    video.addEventListener('seeked', onTime);
    video.addEventListener('ended', onEnded);
    return () => {
      video.removeEventListener('timeupdate', onTime);
      video.removeEventListener('seeking', onSeeking);
      video.removeEventListener('seeked', onTime);
      video.removeEventListener('ended', onEnded);
      clearGuard();
    };
  }, [src, clearGuard, stopAtEnd]);

  if (src === null) {
    return (
      <div className="s1-player s1-player-empty">
        <p>The video is not processed yet</p>
      </div>
    );
  }

  return (
    <div className="s1-player">
      <video ref={videoRef} src={src} controls preload="metadata" aria-label={label} />
      <p className="s1-player-time">
        <span className="s1-visually-hidden">Current time: </span>
        <span className="s1-clock">{formatTime(time)}</span>{' '}
        <span className="s1-seconds">({time.toFixed(2)} s)</span>
        {playing !== null && (
          <span className="s1-playing">
            {' '}
            · interval{' '}
            {Number.isFinite(playing.end)
              ? formatInterval(playing.start, playing.end)
              : `${formatTime(playing.start)} – end`}
          </span>
        )}
      </p>
    </div>
  );
}
