import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Player, PLAYBACK_RATES, type PlayerProps } from './Player';
import type { MediaClock } from './useMediaClock';
import { usePlayerClock, type PlayerClock } from './usePlayerClock';

afterEach(cleanup);

const clockAt = (time: number, playing = false, rate = 1): MediaClock => ({
  time,
  playing,
  rate,
  setTime: vi.fn(),
  setPlaying: vi.fn(),
});

function renderPlayer(overrides: Partial<PlayerProps> = {}) {
  const props: PlayerProps = {
    src: '/media/proxy/5.mp4',
    label: 'Park walk',
    fps: 25,
    frameCount: 1500,
    width: 1280,
    height: 720,
    clock: clockAt(0),
    onMedia: vi.fn(),
    onTogglePlay: vi.fn(),
    onFrameStep: vi.fn(),
    onSeekBy: vi.fn(),
    onRate: vi.fn(),
    ...overrides,
  };
  return { ...render(<Player {...props} />), props };
}

describe('Player', () => {
  it('shows the video, its aspect ratio and the position with the frame index', () => {
    const { container, props } = renderPlayer({ clock: clockAt(1.25) });
    const video = screen.getByLabelText('Park walk');
    expect(video.tagName).toBe('VIDEO');
    expect(video.getAttribute('src')).toBe('/media/proxy/5.mp4');
    expect(props.onMedia).toHaveBeenCalledWith(video);
    expect((container.querySelector('.ws-stage') as HTMLElement).style.aspectRatio).toBe('1280 / 720');
    expect(screen.getByTestId('position').textContent).toBe('00:01.250 · frame 31');
  });

  it('sends the buttons to their commands', () => {
    const { props } = renderPlayer();
    fireEvent.click(screen.getByRole('button', { name: 'Back 5 s' }));
    fireEvent.click(screen.getByRole('button', { name: 'Back 1 s' }));
    fireEvent.click(screen.getByRole('button', { name: 'Forward 1 s' }));
    fireEvent.click(screen.getByRole('button', { name: 'Forward 5 s' }));
    expect(vi.mocked(props.onSeekBy).mock.calls).toEqual([[-5], [-1], [1], [5]]);
    fireEvent.click(screen.getByRole('button', { name: 'Previous frame' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next frame' }));
    expect(vi.mocked(props.onFrameStep).mock.calls).toEqual([[-1], [1]]);
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(props.onTogglePlay).toHaveBeenCalledOnce();
  });

  it('keeps the focus where it was when a button is pressed', () => {
    renderPlayer();
    const pressed = fireEvent.mouseDown(screen.getByRole('button', { name: 'Next frame' }));
    expect(pressed).toBe(false);
  });

  it('offers the playback rates and gives the keys back after a choice', () => {
    const { props } = renderPlayer({ clock: clockAt(0, false, 1) });
    const select = screen.getByRole('combobox');
    expect([...select.querySelectorAll('option')].map((o) => Number(o.value))).toEqual(PLAYBACK_RATES);
    select.focus();
    fireEvent.change(select, { target: { value: '1.5' } });
    expect(props.onRate).toHaveBeenCalledWith(1.5);
    expect(document.activeElement).not.toBe(select);
  });

  it('shows the overlay while paused and hides it while playing', () => {
    const overlay = <div data-testid="overlay" />;
    const { container, rerender, props } = renderPlayer({ overlay });
    expect(container.querySelector('.ws-overlay')!.className).toBe('ws-overlay');
    rerender(<Player {...props} clock={clockAt(0, true)} />);
    expect(container.querySelector('.ws-overlay')!.className).toBe('ws-overlay ws-overlay-hidden');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });
});

describe('usePlayerClock', () => {
  let play: ReturnType<typeof vi.fn>;
  let pause: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    play = vi.fn(() => Promise.resolve());
    pause = vi.fn();
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play as () => Promise<void>);
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(pause as () => void);
  });

  function Harness({ onClock }: { onClock(clock: PlayerClock): void }) {
    const player = usePlayerClock({ fps: 25, frameCount: 250, duration: 10 });
    onClock(player);
    return (
      <Player
        src="/v.mp4"
        label="v"
        fps={25}
        frameCount={250}
        width={320}
        height={180}
        clock={player.clock}
        onMedia={player.setMedia}
        onTogglePlay={player.togglePlay}
        onFrameStep={player.frameStep}
        onSeekBy={player.seekBy}
        onRate={player.setRate}
      />
    );
  }

  function setup() {
    let latest: PlayerClock | null = null;
    const utils = render(<Harness onClock={(c) => (latest = c)} />);
    const video = utils.container.querySelector('video')!;
    return { ...utils, video, player: () => latest! };
  }

  it('follows the element and seeks inside the video', () => {
    const { video, player } = setup();
    expect(player().media).toBe(video);
    act(() => player().seekTo(12));
    expect(video.currentTime).toBe(10);
    act(() => player().seekTo(-3));
    expect(video.currentTime).toBe(0);
    act(() => {
      video.currentTime = 2.3456;
      fireEvent(video, new Event('timeupdate'));
    });
    expect(player().frame).toBe(58);
    expect(player().now()).toBe(2.346);
    expect(screen.getByTestId('position').textContent).toBe('00:02.346 · frame 58');
  });

  it('frame steps and frame seeks pause on the middle of a frame', () => {
    const { video, player } = setup();
    act(() => {
      video.currentTime = 1;
    });
    act(() => player().frameStep(1));
    expect(pause).toHaveBeenCalled();
    expect(video.currentTime).toBeCloseTo(26.5 / 25);
    act(() => player().seekFrame(100));
    expect(video.currentTime).toBeCloseTo(100.5 / 25);
    act(() => player().seekBy(-1));
    expect(video.currentTime).toBeCloseTo(100.5 / 25 - 1);
  });

  it('plays, and a pause settles on the frame shown', () => {
    const { video, player } = setup();
    act(() => player().togglePlay());
    expect(play).toHaveBeenCalledOnce();
    expect(player().clock.playing).toBe(true);
    act(() => {
      video.currentTime = 3.01;
    });
    act(() => player().togglePlay());
    expect(pause).toHaveBeenCalled();
    expect(player().clock.playing).toBe(false);
    expect(video.currentTime).toBeCloseTo(75.5 / 25);
  });

  it('a refused play is not shown as playing', async () => {
    play.mockImplementation(() => Promise.reject(new Error('NotAllowedError')));
    const { player } = setup();
    await act(async () => {
      player().togglePlay();
      await Promise.resolve();
    });
    expect(player().clock.playing).toBe(false);
  });

  it('sets the rate and follows the element', () => {
    const { video, player } = setup();
    act(() => player().setRate(2));
    expect(video.playbackRate).toBe(2);
    act(() => {
      fireEvent(video, new Event('ratechange'));
    });
    expect(player().clock.rate).toBe(2);
  });
});

describe('Player go-to field', () => {
  it('seeks to a time or a frame on Enter, and says why bad input goes nowhere', () => {
    const onSeekTo = vi.fn();
    const onSeekFrame = vi.fn();
    renderPlayer({ goTo: { duration: 60, onSeekTo, onSeekFrame } });
    const field = screen.getByLabelText('Go to time or frame') as HTMLInputElement;
    expect(field.hasAttribute('aria-invalid')).toBe(false); // not marked valid while empty
    fireEvent.change(field, { target: { value: '1:02.3' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(screen.getByTestId('goto-error').textContent).toContain('past the end');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(onSeekTo).not.toHaveBeenCalled();

    fireEvent.change(field, { target: { value: '12.5' } });
    expect(screen.queryByTestId('goto-error')).toBeNull();
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(onSeekTo).toHaveBeenCalledExactlyOnceWith(12.5);
    expect(field.value).toBe('');

    fireEvent.change(field, { target: { value: 'frame 312' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(onSeekFrame).toHaveBeenCalledExactlyOnceWith(312);

    fireEvent.change(field, { target: { value: 'soon' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toContain('is not a time or a frame');
    expect(onSeekTo).toHaveBeenCalledOnce();
    expect(onSeekFrame).toHaveBeenCalledOnce();
  });

  it('has no go-to field unless asked', () => {
    renderPlayer();
    expect(screen.queryByLabelText('Go to time or frame')).toBeNull();
  });
});
