import { useEffect, useState } from 'react';

export interface MediaClock {
  /** Seconds, as last reported by the element (or set by a seek of ours). */
  time: number;
  playing: boolean;
  rate: number;
  setTime(t: number): void;
  setPlaying(playing: boolean): void;
}

/**
 * Follows a media element's position, play state and rate. While playing,
 * `requestVideoFrameCallback` (where the browser has it) updates the time on
 * every frame; `timeupdate` alone comes only about four times a second.
 */
export function useMediaClock(media: HTMLVideoElement | null): MediaClock {
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);

  useEffect(() => {
    if (media === null) return undefined;
    const onTime = () => setTime(media.currentTime);
    const onPlay = () => setPlaying(true);
    const onPause = () => {
      setPlaying(false);
      setTime(media.currentTime);
    };
    const onRate = () => setRate(media.playbackRate);
    const events: [string, () => void][] = [
      ['timeupdate', onTime],
      ['seeking', onTime],
      ['seeked', onTime],
      ['loadedmetadata', onTime],
      ['play', onPlay],
      ['pause', onPause],
      ['ended', onPause],
      ['ratechange', onRate],
    ];
    for (const [name, handler] of events) media.addEventListener(name, handler);
    return () => {
      for (const [name, handler] of events) media.removeEventListener(name, handler);
    };
  }, [media]);

  useEffect(() => {
    if (media === null || !playing || typeof media.requestVideoFrameCallback !== 'function') return undefined;
    let request = 0;
    const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
      setTime(metadata.mediaTime);
      request = media.requestVideoFrameCallback(onFrame);
    };
    request = media.requestVideoFrameCallback(onFrame);
    return () => media.cancelVideoFrameCallback(request);
  }, [media, playing]);

  return { time, playing, rate, setTime, setPlaying };
}
