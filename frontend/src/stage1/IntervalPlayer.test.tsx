import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntervalPlayer, type IntervalPlayerHandle } from './IntervalPlayer';

let play: ReturnType<typeof vi.fn>;
let pause: ReturnType<typeof vi.fn>;

beforeEach(() => {
  // jsdom does not play media: stub the two methods the player calls.
  play = vi.fn(() => Promise.resolve());
  pause = vi.fn();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play as () => Promise<void>);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(pause as () => void);
});

afterEach(() => {
  cleanup();
});

function setup(fps: number | null = null) {
  const ref = createRef<IntervalPlayerHandle>();
  const { container } = render(<IntervalPlayer ref={ref} src="/media/5.mp4" label="Park walk" fps={fps} />);
  const video = container.querySelector('video')!;
  return { ref, video };
}

function at(video: HTMLVideoElement, seconds: number, event = 'timeupdate') {
  video.currentTime = seconds;
  act(() => {
    fireEvent(video, new Event(event));
  });
}

describe('IntervalPlayer', () => {
  it('renders a labelled video with controls', () => {
    const { video } = setup();
    expect(video.getAttribute('src')).toBe('/media/5.mp4');
    expect(video.controls).toBe(true);
    expect(screen.getByLabelText('Park walk')).toBe(video);
  });

  it('seeks to the start, plays, and pauses at the end on timeupdate', () => {
    const { ref, video } = setup();
    act(() => ref.current!.playInterval(2, 4));
    expect(video.currentTime).toBe(2);
    expect(play).toHaveBeenCalledOnce();
    expect(screen.getByText(/interval 00:02.0 – 00:04.0/)).toBeTruthy();

    at(video, 3.1);
    expect(pause).not.toHaveBeenCalled();
    expect(screen.getByText('00:03.1')).toBeTruthy();

    at(video, 4.2);
    expect(pause).toHaveBeenCalledOnce();
    // Overshoot is taken back to the end of the interval.
    expect(video.currentTime).toBe(4);
    expect(screen.getByText('00:04.0')).toBeTruthy();
    expect(ref.current!.currentTime()).toBe(4);

    // The stop is spent: later playback is not paused again.
    at(video, 9);
    expect(pause).toHaveBeenCalledOnce();
  });

  it('stops within a frame where requestVideoFrameCallback exists', () => {
    const { ref, video } = setup(25);
    const callbacks: VideoFrameRequestCallback[] = [];
    const request = vi.fn((cb: VideoFrameRequestCallback) => callbacks.push(cb));
    Object.assign(video, { requestVideoFrameCallback: request, cancelVideoFrameCallback: vi.fn() });

    act(() => ref.current!.playInterval(1, 2));
    expect(request).toHaveBeenCalledOnce();
    const frame = (mediaTime: number) =>
      act(() => callbacks.at(-1)!(0, { mediaTime } as VideoFrameCallbackMetadata));

    frame(1.5);
    expect(pause).not.toHaveBeenCalled();
    expect(request).toHaveBeenCalledTimes(2);
    video.currentTime = 1.99;
    // Within half a frame (0.02 s at 25 fps) of the end.
    frame(1.985);
    expect(pause).toHaveBeenCalledOnce();
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('a manual seek out of the interval cancels the stop', () => {
    const { ref, video } = setup();
    act(() => ref.current!.playInterval(2, 4));
    at(video, 30, 'seeking');
    at(video, 30.5);
    expect(pause).not.toHaveBeenCalled();
  });

  it('a new interval replaces the pending one', () => {
    const { ref, video } = setup();
    act(() => ref.current!.playInterval(2, 4));
    act(() => ref.current!.playInterval(10, 12));
    at(video, 11);
    expect(pause).not.toHaveBeenCalled();
    at(video, 12);
    expect(pause).toHaveBeenCalledOnce();
  });

  it('an infinite end plays to the end of the media', () => {
    const { ref, video } = setup();
    act(() => ref.current!.playInterval(0, Number.POSITIVE_INFINITY));
    at(video, 500);
    expect(pause).not.toHaveBeenCalled();
    expect(screen.getByText(/interval 00:00.0 – end/)).toBeTruthy();
  });

  it('says so when there is no proxy yet', () => {
    const ref = createRef<IntervalPlayerHandle>();
    const { container } = render(<IntervalPlayer ref={ref} src={null} label="x" />);
    expect(screen.getByText('The video is not processed yet')).toBeTruthy();
    expect(container.querySelector('video')).toBeNull();
    expect(ref.current!.currentTime()).toBeNull();
    expect(() => ref.current!.playInterval(1, 2)).not.toThrow();
  });
});
