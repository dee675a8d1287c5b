import { describe, expect, it, vi } from 'vitest';
import { playerPropsOf, runPlayerCommand, timelineMediaOf, type ProxyMedia } from './commands';
import type { PlayerClock } from './usePlayerClock';

const player = () => ({
  togglePlay: vi.fn(), frameStep: vi.fn(), seekBy: vi.fn(), pause: vi.fn(), seekTo: vi.fn(), seekFrame: vi.fn(),
  setMedia: vi.fn(), setRate: vi.fn(), clock: { time: 0, playing: false }, media: null,
}) as unknown as PlayerClock;

const video: ProxyMedia = {
  proxy_url: '/p.mp4', title: 'v', fps: 25, frame_count: 100, width: 1280, height: 720, duration: 4,
  peaks_url: '/peaks', spectrogram_url: null, thumbnails_url: null, thumbnails_index: null,
};

describe('the player commands every island shares', () => {
  it('run the media commands and leave the others to the island', () => {
    const p = player();
    expect(runPlayerCommand(p, { type: 'frameStep', delta: -1 })).toBe(true);
    expect(runPlayerCommand(p, { type: 'seekBy', seconds: 5 })).toBe(true);
    expect(runPlayerCommand(p, { type: 'togglePlay' })).toBe(true);
    expect(runPlayerCommand(p, { type: 'undo' })).toBe(false);
    expect([p.frameStep, p.seekBy, p.togglePlay].map((f) => (f as ReturnType<typeof vi.fn>).mock.calls)).toEqual([[[-1]], [[5]], [[]]]);
  });

  it('give the player and the timeline their props from the video; go-to pauses, then seeks', () => {
    const p = player();
    const props = playerPropsOf(video, p, 'v');
    expect(props).toMatchObject({ src: '/p.mp4', fps: 25, frameCount: 100, width: 1280, height: 720 });
    props.goTo!.onSeekTo(2.5);
    expect(p.pause).toHaveBeenCalled();
    expect(p.seekTo).toHaveBeenCalledWith(2.5);
    expect(timelineMediaOf(video, p)).toMatchObject({ duration: 4, fps: 25, peaksUrl: '/peaks', media: null });
  });
});
