import { useState } from 'react';
import { clampMs, clampTime, frameAt, stepFrame, timeOfFrame } from '../time';
import { useMediaClock, type MediaClock } from './useMediaClock';

export interface PlayerVideo {
  fps: number;
  frameCount: number;
  /** Seconds; seeks stay inside [0, duration] (a non-positive duration bounds nothing above). */
  duration: number;
}

/** The player's element, its clock and the commands a page gives it (buttons and keys). */
export interface PlayerClock {
  media: HTMLVideoElement | null;
  /** The <video>'s ref callback (Player's `onMedia`). */
  setMedia(element: HTMLVideoElement | null): void;
  clock: MediaClock;
  /** The frame shown now. */
  frame: number;
  /** The position as a stored time: rounded to milliseconds, inside the video. */
  now(): number;
  seekTo(t: number): void;
  pause(): void;
  /** Plays, or pauses on the middle of the frame shown. */
  togglePlay(): void;
  /** Pauses and shows the frame `delta` frames away. */
  frameStep(delta: -1 | 1): void;
  seekBy(seconds: number): void;
  /** Pauses on frame `index`. */
  seekFrame(index: number): void;
  setRate(rate: number): void;
}

/**
 * Frame-accurate playback commands over the page's <video> (given through
 * `setMedia`): seeks are clamped to the video, a frame step or a pause
 * lands on the middle of a frame, so the picture, the frame index and the
 * exact frame the server decodes agree.
 */
export function usePlayerClock({ fps, frameCount, duration }: PlayerVideo): PlayerClock {
  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  const clock = useMediaClock(media);

  const now = () => clampMs(media?.currentTime ?? clock.time, duration);
  const seekTo = (t: number) => {
    if (media === null) return;
    const target = clampTime(t, duration);
    media.currentTime = target;
    clock.setTime(target);
  };
  const pause = () => {
    media?.pause();
    clock.setPlaying(false);
  };
  const togglePlay = () => {
    if (media === null) return;
    if (clock.playing) {
      pause();
      // Paused mid-playback, the picture can be a frame ahead of currentTime: settle on the middle
      // of the frame the position shows, so the picture, the index and the exact frame agree.
      seekTo(timeOfFrame(frameAt(media.currentTime, fps, frameCount), fps));
      return;
    }
    clock.setPlaying(true);
    const played = media.play() as Promise<void> | undefined;
    played?.catch?.(() => clock.setPlaying(false));
  };
  const frameStep = (delta: -1 | 1) => {
    if (media === null) return;
    pause();
    seekTo(stepFrame(media.currentTime, delta, fps, frameCount));
  };
  const seekBy = (seconds: number) => seekTo((media?.currentTime ?? clock.time) + seconds);
  const seekFrame = (index: number) => {
    pause();
    seekTo(timeOfFrame(index, fps));
  };
  const setRate = (rate: number) => {
    if (media !== null) media.playbackRate = rate;
  };

  return {
    media,
    setMedia,
    clock,
    frame: frameAt(clock.time, fps, frameCount),
    now,
    seekTo,
    pause,
    togglePlay,
    frameStep,
    seekBy,
    seekFrame,
    setRate,
  };
}
