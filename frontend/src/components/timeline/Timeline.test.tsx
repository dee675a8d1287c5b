import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, createRef, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type WaveSurfer from 'wavesurfer.js';
import type { WaveSurferOptions } from 'wavesurfer.js';
import type { RegionParams } from 'wavesurfer.js/plugins/regions';
import type { SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import type { TimelinePluginOptions } from 'wavesurfer.js/plugins/timeline';
import type { ThumbnailsIndex } from './types';
import {
  Timeline,
  type TimelineHandle,
  type TimelinePluginFactories,
  type TimelineProps,
  type TimelineRegion,
} from './Timeline';

// ------------------------------------------------------------ fakes (jsdom has no canvas: no real wavesurfer here)

type Listener = (...args: never[]) => void;

class Emitter {
  listeners = new Map<string, Set<Listener>>();
  on(event: string, listener: Listener) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => this.un(event, listener);
  }
  un(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      (listener as (...a: unknown[]) => void)(...args);
    }
  }
  count(event: string) {
    return this.listeners.get(event)?.size ?? 0;
  }
}

class FakeWaveSurfer extends Emitter {
  plugins: unknown[] = [];
  wrapper = document.createElement('div');
  scroll = 0;
  destroyed = false;
  registerPlugin = vi.fn(<T,>(plugin: T): T => {
    if (this.destroyed) {
      // As the real one does.
      throw new Error('Cannot register a plugin: wavesurfer was destroyed.');
    }
    this.plugins.push(plugin);
    return plugin;
  });
  unregisterPlugin = vi.fn((plugin: unknown) => {
    this.plugins = this.plugins.filter((p) => p !== plugin);
  });
  zoom = vi.fn();
  setTime = vi.fn();
  /** Like the real one with peaks given: no fetch, 'ready' a little later. */
  load = vi.fn((_url: string, _peaks: unknown, duration: number) => {
    queueMicrotask(() => this.emit('ready', duration));
    return Promise.resolve();
  });
  destroy = vi.fn(() => {
    this.destroyed = true;
    this.emit('destroy');
    this.listeners.clear();
  });
  constructor(public options: WaveSurferOptions) {
    super();
    queueMicrotask(() => this.emit('ready', options.duration));
  }
  getDuration = () => this.options.duration ?? 0;
  getWidth = () => 1000;
  getScroll = () => this.scroll;
  getWrapper = () => this.wrapper;
  getMediaElement = () => this.options.media ?? null;
}

class FakeRegion {
  id: string;
  start: number;
  end: number;
  color: string | undefined;
  element: HTMLElement | null = document.createElement('div');
  setOptions = vi.fn((options: Partial<RegionParams>) => {
    this.start = options.start ?? this.start;
    this.end = options.end ?? this.end;
    this.color = options.color ?? this.color;
  });
  setContent = vi.fn();
  remove = vi.fn();
  constructor(public params: RegionParams) {
    this.id = params.id ?? '';
    this.start = params.start;
    this.end = params.end ?? params.start;
    this.color = params.color;
  }
}

class FakeRegionsPlugin extends Emitter {
  regions: FakeRegion[] = [];
  addRegion = vi.fn((params: RegionParams) => {
    const region = new FakeRegion(params);
    region.remove.mockImplementation(() => {
      this.regions = this.regions.filter((r) => r !== region);
    });
    this.regions.push(region);
    return region;
  });
  byId(id: string) {
    return this.regions.find((r) => r.id === id);
  }
}

class FakePlugin<O> {
  constructor(public options: O) {}
}

let instances: FakeWaveSurfer[];
let regionsPlugins: FakeRegionsPlugin[];
let createWaveSurfer: ReturnType<typeof vi.fn>;
let plugins: {
  regions: ReturnType<typeof vi.fn>;
  ruler: ReturnType<typeof vi.fn>;
  spectrogram: ReturnType<typeof vi.fn>;
};

const ws = () => instances[instances.length - 1]!;
const regionsPlugin = () => regionsPlugins[regionsPlugins.length - 1]!;

// ------------------------------------------------------------ data

const DURATION = 100;
const LEVEL_RATES = [100, 20, 4, 1];

/** Every bucket of a level reads ±bps/1000, so a level is known by its first value. */
function peaksJson() {
  return {
    version: 1,
    duration: DURATION,
    sample_rate: 16000,
    levels: LEVEL_RATES.map((bps) => {
      const buckets = DURATION * bps;
      const data: number[] = [];
      for (let k = 0; k < buckets; k++) {
        data.push(-bps / 1000, bps / 1000);
      }
      return { samples_per_bucket: 16000 / bps, buckets_per_second: bps, buckets, data };
    }),
  };
}

const spectrogramJson = {
  version: 1,
  duration: DURATION,
  hop_seconds: 0.05,
  frequency_max: 8000,
  bins: 2,
  columns: 2000,
  db_min: -100,
  db_max: 0,
  data: Array.from({ length: 2000 }, (_, j) => [j % 256, 255 - (j % 256)]),
};

const thumbnailsIndex: ThumbnailsIndex = {
  thumb_width: 160,
  thumb_height: 90,
  columns: 10,
  rows: 1,
  times: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
  frame_indices: [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250],
};

function jsonResponse(body: unknown, status = 200): Response {
  return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
}

let fetchImpl: ReturnType<typeof vi.fn>;

beforeEach(() => {
  instances = [];
  regionsPlugins = [];
  createWaveSurfer = vi.fn((options: WaveSurferOptions) => {
    const instance = new FakeWaveSurfer(options);
    instances.push(instance);
    return instance as unknown as WaveSurfer;
  });
  plugins = {
    regions: vi.fn(() => {
      const plugin = new FakeRegionsPlugin();
      regionsPlugins.push(plugin);
      return plugin;
    }),
    ruler: vi.fn((options: TimelinePluginOptions) => new FakePlugin(options)),
    spectrogram: vi.fn((options: SpectrogramPluginOptions) => new FakePlugin(options)),
  };
  fetchImpl = vi.fn(async (url: string) => {
    if (url === '/peaks.json') {
      return jsonResponse(peaksJson());
    }
    if (url === '/spectrogram.json') {
      return jsonResponse(spectrogramJson);
    }
    return jsonResponse({ detail: 'not found' }, 404);
  });
  // The waveform's container is 1000 px wide: the whole video is 10 px/s, frames are 500 px/s (25 fps).
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  let blobs = 0;
  Object.defineProperty(URL, 'createObjectURL', {
    configurable: true,
    writable: true,
    value: vi.fn(() => `blob:spectrogram-${++blobs}`),
  });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, writable: true, value: vi.fn() });
});

afterEach(() => {
  cleanup();
});

const media = document.createElement('video');
const refRegion: TimelineRegion = { key: 'ref', start: 10, end: 20, color: '#e6194b', label: 'Reference', editable: true };
const clueRegion: TimelineRegion = { key: 'clue-0', start: 12, end: 14, color: '#3cb44b', editable: true };

function setup(overrides: Partial<TimelineProps> = {}) {
  const ref = createRef<TimelineHandle>();
  const onSelect = vi.fn();
  const onRegionChange = vi.fn();
  const props: TimelineProps = {
    duration: DURATION,
    fps: 25,
    peaksUrl: '/peaks.json',
    spectrogramUrl: '/spectrogram.json',
    thumbnailsUrl: null,
    thumbnailsIndex: null,
    media,
    regions: [refRegion, clueRegion],
    selectedKey: null,
    onSelect,
    onRegionChange,
    fetchImpl: fetchImpl as unknown as typeof fetch,
    createWaveSurfer: createWaveSurfer as unknown as typeof WaveSurfer.create,
    plugins: plugins as unknown as TimelinePluginFactories,
    ...overrides,
  };
  const view = render(<Timeline ref={ref} {...props} />);
  const rerender = (more: Partial<TimelineProps>) => view.rerender(<Timeline ref={ref} {...props} {...more} />);
  return { ref, onSelect, onRegionChange, rerender, unmount: view.unmount, props };
}

/** Waits for the wavesurfer instance to be created and ready (regions placed). */
async function ready() {
  await waitFor(() => expect(createWaveSurfer).toHaveBeenCalled());
  await waitFor(() => expect(regionsPlugin().addRegion).toHaveBeenCalled());
}

const firstPeak = (peaks: unknown) => (peaks as Float32Array[])[0]![0]!;

describe('Timeline', () => {
  it('creates wavesurfer on the page’s media with precomputed peaks and the duration', async () => {
    setup();
    expect(screen.getByText('Loading waveform…')).toBeTruthy();
    await ready();
    expect(fetchImpl).toHaveBeenCalledWith('/peaks.json', expect.objectContaining({ signal: expect.any(AbortSignal) }));
    expect(createWaveSurfer).toHaveBeenCalledOnce();
    const options = createWaveSurfer.mock.calls[0]![0] as WaveSurferOptions;
    expect(options.media).toBe(media);
    expect(options.url).toBeUndefined();
    expect(options.duration).toBe(DURATION);
    expect(options.minPxPerSec).toBe(10);
    expect(options.container).toBe(screen.getByTestId('timeline-waveform'));
    // 10 px/s: the coarsest level with a bucket per pixel is 20 a second; [maxima, minima] over the video.
    const [max, min] = options.peaks as Float32Array[];
    expect(max).toBeInstanceOf(Float32Array);
    expect(max!.length).toBe(DURATION * 20);
    expect(max![0]).toBeCloseTo(0.02);
    expect(min![0]).toBeCloseTo(-0.02);
    expect(screen.getByTestId('timeline-zoom').textContent).toBe('whole video');
    expect(screen.queryByText('No audio')).toBeNull();
    // A time ruler.
    expect(plugins.ruler).toHaveBeenCalled();
    expect(ws().plugins.some((p) => p instanceof FakePlugin)).toBe(true);
  });

  it('shows "No audio" without peaks, and still the regions and the ruler', async () => {
    setup({ peaksUrl: null, spectrogramUrl: null });
    expect(screen.getByText('No audio')).toBeTruthy();
    await ready();
    expect(fetchImpl).not.toHaveBeenCalled();
    const options = createWaveSurfer.mock.calls[0]![0] as WaveSurferOptions;
    expect(options.media).toBe(media);
    expect(options.duration).toBe(DURATION);
    expect((options.peaks as Float32Array[]).map((c) => Array.from(c))).toEqual([[0], [0]]);
    expect(regionsPlugin().regions.map((r) => r.id)).toEqual(['ref', 'clue-0']);
    expect(plugins.ruler).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Spectrogram' })).toHaveProperty('disabled', true);
  });

  it('says so when the peaks cannot be loaded, and still lays out the timeline', async () => {
    setup({ peaksUrl: '/missing.json' });
    await ready();
    expect(screen.getByText('Waveform unavailable (HTTP 404)')).toBeTruthy();
    expect((createWaveSurfer.mock.calls[0]![0] as WaveSurferOptions).peaks).toHaveLength(2);
  });

  it('syncs regions by key: add, update, remove', async () => {
    const { rerender } = setup();
    await ready();
    const plugin = regionsPlugin();
    expect(plugin.addRegion).toHaveBeenCalledTimes(2);
    expect(plugin.byId('ref')!.params).toMatchObject({ start: 10, end: 20, drag: false, resize: true, content: 'Reference' });

    rerender({ regions: [{ ...refRegion, start: 11 }, { key: 'clue-1', start: 30, end: 31, color: '#4363d8', editable: false }] });
    await waitFor(() => expect(plugin.addRegion).toHaveBeenCalledTimes(3));
    expect(plugin.byId('ref')!.setOptions).toHaveBeenCalledWith({ start: 11, end: 20 });
    expect(plugin.byId('clue-0')).toBeUndefined();
    expect(plugin.byId('clue-1')!.params).toMatchObject({ start: 30, end: 31, drag: false, resize: false });
    // The same instance throughout.
    expect(createWaveSurfer).toHaveBeenCalledOnce();
  });

  it('reports a drag or resize when it ends, and a click as a selection', async () => {
    const { onRegionChange, onSelect, rerender } = setup();
    await ready();
    const plugin = regionsPlugin();
    const region = plugin.byId('clue-0')!;

    act(() => {
      region.start = 13;
      region.end = 15.5;
      plugin.emit('region-update', region, 'end');
    });
    expect(onRegionChange).not.toHaveBeenCalled();
    act(() => plugin.emit('region-updated', region, 'end'));
    expect(onRegionChange).toHaveBeenCalledExactlyOnceWith('clue-0', 13, 15.5);
    // The page did not take the change: the region goes back to where the props say.
    await waitFor(() => expect(region.start).toBe(12));
    expect(region.end).toBe(14);

    const click = new MouseEvent('click', { bubbles: true });
    const stop = vi.spyOn(click, 'stopPropagation');
    act(() => plugin.emit('region-clicked', region, click));
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('clue-0');
    expect(stop).toHaveBeenCalled();

    // The selected region is coloured stronger and outlined.
    rerender({ selectedKey: 'clue-0' });
    await waitFor(() => expect(region.color).toBe('rgba(60, 180, 75, 0.42)'));
    expect(region.element!.getAttribute('aria-selected')).toBe('true');
    expect(plugin.byId('ref')!.element!.getAttribute('aria-selected')).toBe('false');
  });

  it('seeks where a click inside a region lands, and selects the region (regions move only by their handles)', async () => {
    const { onSelect } = setup();
    await ready();
    const instance = ws();
    const plugin = regionsPlugin();
    const region = plugin.byId('clue-0')!;
    expect(region.params.drag).toBe(false);
    expect(plugin.byId('ref')!.params).toMatchObject({ drag: false, resize: true });
    // The wrapper spans the whole waveform: 1000 px for 100 s, scrolled 200 px to the left.
    instance.wrapper.getBoundingClientRect = () => ({ left: -200, top: 0, width: 1000, height: 64, right: 800, bottom: 64, x: -200, y: 0, toJSON: () => ({}) });
    const click = new MouseEvent('click', { bubbles: true, clientX: 50 });
    act(() => plugin.emit('region-clicked', region, click));
    expect(instance.setTime).toHaveBeenCalledOnce();
    expect(instance.setTime.mock.calls[0]![0]).toBeCloseTo(25, 6);
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('clue-0');
  });

  it('seeks to a thumbnail’s time when it is clicked', async () => {
    const onSeek = vi.fn();
    setup({ thumbnailsUrl: '/thumbs.jpg', thumbnailsIndex, onSeek });
    await ready();
    const tiles = screen.getByTestId('timeline-thumbnails').querySelectorAll<HTMLElement>('.tl-thumb');
    fireEvent.click(tiles[3]!);
    expect(onSeek).toHaveBeenCalledOnce();
    expect(onSeek.mock.calls[0]![0]).toBeCloseTo(Number.parseFloat(tiles[3]!.dataset.time!), 3);
  });

  it('seeks the media on a thumbnail click when no onSeek is given', async () => {
    const media = document.createElement('video');
    setup({ thumbnailsUrl: '/thumbs.jpg', thumbnailsIndex, media });
    await ready();
    const tiles = screen.getByTestId('timeline-thumbnails').querySelectorAll<HTMLElement>('.tl-thumb');
    fireEvent.click(tiles[2]!);
    expect(media.currentTime).toBeCloseTo(Number.parseFloat(tiles[2]!.dataset.time!), 3);
  });

  it('zooms with the buttons, clamped between the whole video and frame level', async () => {
    setup();
    await ready();
    const instance = ws();
    const zoomIn = screen.getByRole('button', { name: '+' });
    const zoomOut = screen.getByRole('button', { name: '−' });
    const label = screen.getByTestId('timeline-zoom');
    expect(zoomOut).toHaveProperty('disabled', true);

    fireEvent.click(zoomIn);
    expect(instance.zoom).toHaveBeenLastCalledWith(15);
    expect(label.textContent).toBe('15 px/s');

    fireEvent.click(zoomOut);
    expect(instance.zoom).toHaveBeenLastCalledWith(10);
    expect(label.textContent).toBe('whole video');
    const calls = instance.zoom.mock.calls.length;
    fireEvent.click(zoomOut);
    expect(instance.zoom).toHaveBeenCalledTimes(calls);

    // Frame level needs the finest peaks: reloaded (same media, peaks given), then zoomed once ready.
    fireEvent.click(screen.getByRole('button', { name: 'Frames' }));
    expect(instance.load).toHaveBeenCalledOnce();
    const [url, peaks, duration] = instance.load.mock.calls[0]!;
    expect(url).toBe(media.currentSrc || media.src || '');
    expect(duration).toBe(DURATION);
    expect((peaks as Float32Array[])[0]!.length).toBe(DURATION * 100);
    expect(firstPeak(peaks)).toBeCloseTo(0.1);
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(500));
    expect(label.textContent).toBe('frame level');
    expect(zoomIn).toHaveProperty('disabled', true);

    fireEvent.click(zoomIn);
    expect(instance.zoom).toHaveBeenLastCalledWith(500);

    fireEvent.click(screen.getByRole('button', { name: 'Whole video' }));
    expect(instance.load).toHaveBeenCalledTimes(2);
    expect(firstPeak(instance.load.mock.calls[1]![1])).toBeCloseTo(0.02);
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(10));
    expect(createWaveSurfer).toHaveBeenCalledOnce();
  });

  it('zooms through its handle, never past the limits', async () => {
    const { ref } = setup();
    await ready();
    const instance = ws();
    act(() => {
      for (let i = 0; i < 20; i++) {
        ref.current!.zoomIn();
      }
    });
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(500));
    act(() => {
      for (let i = 0; i < 30; i++) {
        ref.current!.zoomOut();
      }
    });
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(10));
    act(() => ref.current!.zoomToFrames());
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(500));
    act(() => ref.current!.zoomToFit());
    await waitFor(() => expect(instance.zoom).toHaveBeenLastCalledWith(10));
    for (const [px] of instance.zoom.mock.calls) {
      expect(px).toBeGreaterThanOrEqual(10);
      expect(px).toBeLessThanOrEqual(500);
    }
  });

  it('fetches the spectrogram once and registers the plugin when turned on', async () => {
    const { ref } = setup();
    await ready();
    const instance = ws();
    const toggle = screen.getByRole('button', { name: 'Spectrogram' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(plugins.spectrogram).not.toHaveBeenCalled();

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(plugins.spectrogram).toHaveBeenCalledOnce());
    expect(fetchImpl.mock.calls.filter(([url]) => url === '/spectrogram.json')).toHaveLength(1);
    const options = plugins.spectrogram.mock.calls[0]![0] as SpectrogramPluginOptions;
    expect(options).toMatchObject({
      frequenciesDataUrl: 'blob:spectrogram-1',
      sampleRate: 16000,
      frequencyMax: 8000,
      scale: 'linear',
    });
    // The blob holds the bare [frame][bin] array.
    const blob = (URL.createObjectURL as ReturnType<typeof vi.fn>).mock.calls[0]![0] as Blob;
    expect(JSON.parse(await blob.text())).toEqual(spectrogramJson.data);
    const plugin = plugins.spectrogram.mock.results[0]!.value;
    expect(instance.registerPlugin).toHaveBeenCalledWith(plugin);
    expect(instance.plugins).toContain(plugin);

    fireEvent.click(toggle);
    await waitFor(() => expect(instance.unregisterPlugin).toHaveBeenCalledWith(plugin));
    expect(instance.plugins).not.toContain(plugin);

    // On again: the data is kept.
    act(() => ref.current!.showSpectrogram(true));
    await waitFor(() => expect(plugins.spectrogram).toHaveBeenCalledTimes(2));
    expect(fetchImpl.mock.calls.filter(([url]) => url === '/spectrogram.json')).toHaveLength(1);
    expect(URL.createObjectURL).toHaveBeenCalledOnce();
  });

  it('hides the spectrogram where the waveform is too wide for it', async () => {
    const { ref } = setup({ duration: 1000 });
    await ready();
    act(() => ref.current!.showSpectrogram(true));
    await waitFor(() => expect(plugins.spectrogram).toHaveBeenCalledOnce());
    const plugin = plugins.spectrogram.mock.results[0]!.value;
    act(() => ref.current!.zoomToFrames());
    await waitFor(() => expect(ws().unregisterPlugin).toHaveBeenCalledWith(plugin));
    expect(screen.getByText(/Spectrogram hidden at this zoom/)).toBeTruthy();
  });

  it('draws the thumbnail strip from the sprite, following the waveform’s scroll', async () => {
    setup({ thumbnailsUrl: '/thumbs.jpg', thumbnailsIndex });
    await ready();
    const strip = screen.getByTestId('timeline-thumbnails');
    // 45 px high tiles are 80 px wide; at 10 px/s slot 3 (x 240..320) shows 28 s: tile 2.
    let tiles = strip.querySelectorAll<HTMLElement>('.tl-thumb');
    expect(tiles.length).toBe(13);
    expect(tiles[0]!.style.backgroundImage).toContain('/thumbs.jpg');
    expect(tiles[0]!.style.backgroundSize).toBe('800px 45px');
    expect(tiles[3]!.style.left).toBe('240px');
    expect(tiles[3]!.style.backgroundPosition).toBe('-160px 0px');

    // At frame level the strip scrolls with the waveform: 25000 px in is 50 s.
    fireEvent.click(screen.getByRole('button', { name: 'Frames' }));
    act(() => ws().emit('scroll', 50, 52, 25000, 26000));
    tiles = strip.querySelectorAll<HTMLElement>('.tl-thumb');
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThanOrEqual(14);
    const first = tiles[0]!;
    expect(Number.parseFloat(first.style.left)).toBeLessThanOrEqual(0);
    expect(Number.parseFloat(first.dataset.time!)).toBeCloseTo(50, 0);
    expect(first.style.backgroundPosition).toBe('-400px 0px');
  });

  it('destroys wavesurfer on unmount, and makes a new one for new media', async () => {
    const { rerender, unmount } = setup();
    await ready();
    const first = ws();
    const other = document.createElement('video');
    rerender({ media: other });
    await waitFor(() => expect(createWaveSurfer).toHaveBeenCalledTimes(2));
    expect(first.destroy).toHaveBeenCalledOnce();
    expect((createWaveSurfer.mock.calls[1]![0] as WaveSurferOptions).media).toBe(other);
    await waitFor(() => expect(regionsPlugin().regions).toHaveLength(2));
    const second = ws();
    unmount();
    expect(second.destroy).toHaveBeenCalledOnce();
    expect(second.count('ready')).toBe(0);
  });

  it('survives StrictMode and a media element that arrives after the first render', async () => {
    function Page(props: TimelineProps) {
      const [video, setVideo] = useState<HTMLVideoElement | null>(null);
      return (
        <>
          <video ref={setVideo} />
          <Timeline {...props} media={video} />
        </>
      );
    }
    const { props } = setup({ peaksUrl: null });
    cleanup();
    instances = [];
    regionsPlugins = [];
    createWaveSurfer.mockClear();
    render(
      <StrictMode>
        <Page {...props} peaksUrl={null} />
      </StrictMode>,
    );
    await waitFor(() => expect(regionsPlugin().regions).toHaveLength(2));
    const live = instances.filter((i) => !i.destroyed);
    expect(live).toHaveLength(1);
    expect(live[0]!.options.media).toBeInstanceOf(HTMLVideoElement);
    expect(live[0]!.plugins.length).toBeGreaterThanOrEqual(2);
  });
});
