import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/plugins/regions';
import SpectrogramPlugin, { type SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import TimelinePlugin, { type TimelinePluginOptions } from 'wavesurfer.js/plugins/timeline';
import type { ThumbnailsIndex } from '../types';
import {
  chooseLevel,
  clampZoom,
  formatRulerTime,
  parsePeaks,
  rulerIntervals,
  silentPeaks,
  toWaveSurferPeaks,
  waveformLayout,
  zoomLabel,
  zoomRange,
  zoomStep,
  type PeakLevel,
  type PeaksData,
} from './peaks';
import { clearRegions, syncRegions, type SyncedRegions, type TimelineRegion } from './regions';
import { SPECTROGRAM_MAX_WIDTH, parseSpectrogram, spectrogramFrames, spectrogramOptions } from './spectrogram';
import { ThumbnailStrip } from './ThumbnailStrip';
import './timeline.css';

export type { TimelineRegion } from './regions';

export type RegionsPluginInstance = ReturnType<typeof RegionsPlugin.create>;
export type RulerPluginInstance = ReturnType<typeof TimelinePlugin.create>;
export type SpectrogramPluginInstance = ReturnType<typeof SpectrogramPlugin.create>;

/** How the timeline makes its wavesurfer plugins (injectable for tests: jsdom has no canvas). */
export interface TimelinePluginFactories {
  regions(): RegionsPluginInstance;
  ruler(options: TimelinePluginOptions): RulerPluginInstance;
  spectrogram(options: SpectrogramPluginOptions): SpectrogramPluginInstance;
}

export const defaultPluginFactories: TimelinePluginFactories = {
  regions: () => RegionsPlugin.create(),
  ruler: (options) => TimelinePlugin.create(options),
  spectrogram: (options) => SpectrogramPlugin.create(options),
};

export interface TimelineProps {
  /** Seconds; the time axis of the waveform, regions and thumbnails (the video's). */
  duration: number;
  fps: number;
  /** Precomputed peaks JSON; null for a video without audio ("No audio", regions and ruler still shown). */
  peaksUrl: string | null;
  spectrogramUrl: string | null;
  thumbnailsUrl: string | null;
  thumbnailsIndex: ThumbnailsIndex | null;
  /** The page's <video>: wavesurfer follows its playback, and clicks on the waveform seek it. */
  media: HTMLMediaElement | null;
  regions: TimelineRegion[];
  selectedKey: string | null;
  onSelect(key: string | null): void;
  /** After a drag or resize ends. */
  onRegionChange(key: string, start: number, end: number): void;
  fetchImpl?: typeof fetch;
  createWaveSurfer?: typeof WaveSurfer.create;
  /** For tests: fake plugins (the real ones draw on canvases). */
  plugins?: TimelinePluginFactories;
  ref?: Ref<TimelineHandle>;
}

export interface TimelineHandle {
  zoomIn(): void;
  zoomOut(): void;
  zoomToFit(): void;
  zoomToFrames(): void;
  showSpectrogram(on: boolean): void;
}

type PeaksState =
  | { status: 'loading' }
  | { status: 'ready'; peaks: PeaksData }
  | { status: 'none' }
  | { status: 'error'; message: string };

type SpectrogramState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; url: string; options: (height: number) => SpectrogramPluginOptions }
  | { status: 'error'; message: string };

/** Whole video, or a number of pixels per second. */
type Zoom = { fit: true } | { fit: false; px: number };

interface Instance {
  ws: WaveSurfer;
  regions: RegionsPluginInstance;
}

const WAVE_HEIGHT = 64;
const RULER_HEIGHT = 22;
const SPECTROGRAM_HEIGHT = 128;
const THUMB_HEIGHT = 45;

const devicePixelRatio = () => (typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1);

/** The media's source as wavesurfer's player reads it: load() with this URL leaves the element alone. */
function mediaSource(ws: WaveSurfer): string {
  const media = ws.getMediaElement();
  return media === null ? '' : media.currentSrc || media.src || '';
}

/** Keeps the time ruler under the waveform and the spectrogram (plugins append to the wrapper in registration order). */
function moveRulerLast(ws: WaveSurfer): void {
  const wrapper = ws.getWrapper();
  const ruler = wrapper.querySelector(':scope > [part="timeline-wrapper"]');
  if (ruler !== null && ruler !== wrapper.lastElementChild) {
    wrapper.appendChild(ruler);
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function fetchJson(fetcher: typeof fetch, url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetcher(url, { signal, credentials: 'same-origin' });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}

/**
 * The timeline under the video: the audio's waveform drawn from precomputed
 * peaks (the browser never decodes the audio), a time ruler, the question's
 * regions (selectable; draggable and resizable where editable), a thumbnail
 * strip, and on demand the precomputed spectrogram. Zoom goes from the whole
 * video down to PX_PER_FRAME pixels per frame; the peaks level is switched
 * as the zoom needs (about one bucket per pixel).
 */
export function Timeline({
  duration,
  fps,
  peaksUrl,
  spectrogramUrl,
  thumbnailsUrl,
  thumbnailsIndex,
  media,
  regions,
  selectedKey,
  onSelect,
  onRegionChange,
  fetchImpl,
  createWaveSurfer,
  plugins,
  ref,
}: TimelineProps) {
  const waveRef = useRef<HTMLDivElement>(null);

  // The latest callbacks and injectables, so that effects need not re-run when the page passes new closures.
  const latest = useRef({ onSelect, onRegionChange, fetchImpl, createWaveSurfer, plugins });
  useEffect(() => {
    latest.current = { onSelect, onRegionChange, fetchImpl, createWaveSurfer, plugins };
  });
  const fetcher = useCallback<typeof fetch>(
    (input, init) => (latest.current.fetchImpl ?? fetch)(input, init),
    [],
  );
  const factories = () => latest.current.plugins ?? defaultPluginFactories;

  const [peaksState, setPeaksState] = useState<PeaksState>(
    peaksUrl === null ? { status: 'none' } : { status: 'loading' },
  );
  const peaks = peaksState.status === 'ready' ? peaksState.peaks : null;
  const timelineDuration = Number.isFinite(duration) && duration > 0 ? duration : (peaks?.duration ?? 0);

  const [instance, setInstance] = useState<Instance | null>(null);
  /** Bumped on every wavesurfer 'ready' (regions can only be placed once the duration is known). */
  const [readyCount, setReadyCount] = useState(0);
  /** Bumped after a drag ends: the regions are put back where the props say if the page did not take the change. */
  const [resync, setResync] = useState(0);
  const [viewWidth, setViewWidth] = useState(0);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [zoom, setZoom] = useState<Zoom>({ fit: true });
  const [spectrogramWanted, setSpectrogramWanted] = useState(false);
  /** Latched on the first time the spectrogram is turned on. */
  const [spectrogramRequested, setSpectrogramRequested] = useState(false);
  const [spectrogram, setSpectrogram] = useState<SpectrogramState>({ status: 'idle' });

  const range = zoomRange(timelineDuration, viewWidth, fps);
  const pxPerSec = zoom.fit ? range.min : clampZoom(zoom.px, range);
  const layout = waveformLayout(timelineDuration, pxPerSec, viewWidth);
  const spectrogramTooWide = layout.totalWidth > SPECTROGRAM_MAX_WIDTH;
  const ruler = rulerIntervals(layout.pxPerSec, timelineDuration);

  // What the wavesurfer instance currently has, read by event handlers.
  const wsRef = useRef<WaveSurfer | null>(null);
  const pxRef = useRef(pxPerSec);
  const appliedPxRef = useRef(pxPerSec);
  const levelRef = useRef<PeakLevel | null>(null);
  const readyRef = useRef(false);
  const peaksRef = useRef<PeaksData | null>(null);
  const durationRef = useRef(timelineDuration);
  const syncedRef = useRef<SyncedRegions>(new Map());

  useLayoutEffect(() => {
    const width = waveRef.current?.clientWidth ?? 0;
    if (width > 0) {
      setViewWidth(width);
    }
  }, []);

  // ---------------------------------------------------------------- peaks
  useEffect(() => {
    // Same state object where nothing changes: a new one would make a new wavesurfer.
    if (peaksUrl === null) {
      setPeaksState((current) => (current.status === 'none' ? current : { status: 'none' }));
      return;
    }
    setPeaksState((current) => (current.status === 'loading' ? current : { status: 'loading' }));
    const controller = new AbortController();
    fetchJson(fetcher, peaksUrl, controller.signal)
      .then((json) => {
        if (!controller.signal.aborted) {
          setPeaksState({ status: 'ready', peaks: parsePeaks(json) });
        }
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setPeaksState({ status: 'error', message: errorMessage(error) });
        }
      });
    return () => controller.abort();
  }, [peaksUrl, fetcher]);

  /**
   * Puts pxRef's zoom on the waveform: reloads the peaks first where the zoom
   * needs another level (same media URL, so the element is left alone and
   * nothing is fetched), else zooms once wavesurfer has its data.
   */
  const applyZoom = useCallback(() => {
    const ws = wsRef.current;
    if (ws === null) {
      return;
    }
    const px = pxRef.current;
    const data = peaksRef.current;
    if (data !== null) {
      const level = chooseLevel(data.levels, px * devicePixelRatio());
      if (level !== levelRef.current) {
        levelRef.current = level;
        readyRef.current = false;
        // 'ready' comes back here to zoom.
        ws.load(mediaSource(ws), toWaveSurferPeaks(level, durationRef.current), durationRef.current).catch(() => {});
        return;
      }
    }
    if (readyRef.current && px !== appliedPxRef.current) {
      appliedPxRef.current = px;
      ws.zoom(px);
    }
  }, []);

  // ---------------------------------------------------------------- wavesurfer
  useEffect(() => {
    pxRef.current = pxPerSec;
  });

  useEffect(() => {
    const container = waveRef.current;
    if (container === null || peaksState.status === 'loading' || !(timelineDuration > 0)) {
      return;
    }
    const data = peaksState.status === 'ready' ? peaksState.peaks : null;
    const px = pxRef.current;
    const level = data === null ? null : chooseLevel(data.levels, px * devicePixelRatio());
    const create = latest.current.createWaveSurfer ?? ((options) => WaveSurfer.create(options));
    const ws = create({
      container,
      media: media ?? undefined,
      peaks: level === null ? silentPeaks() : toWaveSurferPeaks(level, timelineDuration),
      duration: timelineDuration,
      height: WAVE_HEIGHT,
      minPxPerSec: px,
      fillParent: true,
      interact: true,
      dragToSeek: false,
      autoScroll: true,
      autoCenter: false,
      // Scaled to the loudest bucket (the same at every level), so quiet audio is still visible.
      normalize: level !== null,
      waveColor: '#7a8fa6',
      progressColor: '#2f4f6f',
      cursorColor: '#d33',
      cursorWidth: 2,
    });
    wsRef.current = ws;
    peaksRef.current = data;
    durationRef.current = timelineDuration;
    levelRef.current = level;
    appliedPxRef.current = px;
    readyRef.current = false;

    const regionsPlugin = ws.registerPlugin(factories().regions());
    const unsubscribe = [
      ws.on('ready', () => {
        readyRef.current = true;
        applyZoom();
        setReadyCount((n) => n + 1);
      }),
      ws.on('scroll', (_start, _end, left) => setScrollLeft(left)),
      ws.on('resize', () => {
        const width = ws.getWidth();
        if (width > 0) {
          setViewWidth(width);
        }
      }),
      ws.on('redraw', () => setScrollLeft(ws.getScroll())),
      regionsPlugin.on('region-updated', (region) => {
        if (syncedRef.current.has(region.id)) {
          latest.current.onRegionChange(region.id, region.start, region.end);
          setResync((n) => n + 1);
        }
      }),
      regionsPlugin.on('region-clicked', (region, event) => {
        // Selecting is not seeking: keep the click from the waveform underneath.
        event.stopPropagation();
        latest.current.onSelect(region.id);
      }),
    ];
    setInstance({ ws, regions: regionsPlugin });
    return () => {
      unsubscribe.forEach((off) => off());
      clearRegions(syncedRef.current);
      wsRef.current = null;
      readyRef.current = false;
      ws.destroy();
      setInstance(null);
    };
  }, [peaksState, media, timelineDuration, applyZoom]);

  useEffect(() => {
    applyZoom();
  }, [instance, pxPerSec, applyZoom]);

  /**
   * The instance in state lags one render behind wsRef: where media and the
   * instance change in one render, the effects below would see a destroyed one.
   */
  const live = (candidate: Instance | null): candidate is Instance =>
    candidate !== null && candidate.ws === wsRef.current;

  // ---------------------------------------------------------------- regions
  useEffect(() => {
    if (!live(instance) || !readyRef.current) {
      return;
    }
    syncRegions(instance.regions, syncedRef.current, regions, selectedKey);
  }, [instance, readyCount, regions, selectedKey, resync]);

  // ---------------------------------------------------------------- time ruler
  const { timeInterval, primaryLabelInterval } = ruler;
  useEffect(() => {
    if (!live(instance)) {
      return;
    }
    const plugin = instance.ws.registerPlugin(
      factories().ruler({
        height: RULER_HEIGHT,
        timeInterval,
        primaryLabelInterval,
        // No faint in-between labels: they overlap the ticks.
        secondaryLabelInterval: primaryLabelInterval,
        secondaryLabelOpacity: 0.5,
        formatTimeCallback: (seconds) => formatRulerTime(seconds, primaryLabelInterval),
      }),
    );
    moveRulerLast(instance.ws);
    return () => instance.ws.unregisterPlugin(plugin);
  }, [instance, timeInterval, primaryLabelInterval]);

  // ---------------------------------------------------------------- spectrogram
  // Fetched the first time the spectrogram is turned on, then kept (as a blob URL) for later toggles.
  useEffect(() => {
    if (!spectrogramRequested || spectrogramUrl === null) {
      setSpectrogram({ status: 'idle' });
      return;
    }
    setSpectrogram({ status: 'loading' });
    const controller = new AbortController();
    let objectUrl: string | null = null;
    const span = timelineDuration;
    fetchJson(fetcher, spectrogramUrl, controller.signal)
      .then((json) => {
        if (controller.signal.aborted) {
          return;
        }
        const spec = parseSpectrogram(json);
        // The plugin takes precomputed data only from a URL answering the bare [frame][bin] array.
        const blob = new Blob([JSON.stringify(spectrogramFrames(spec, span))], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        objectUrl = url;
        setSpectrogram({ status: 'ready', url, options: (height) => spectrogramOptions(spec, url, height) });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setSpectrogram({ status: 'error', message: errorMessage(error) });
        }
      });
    return () => {
      controller.abort();
      if (objectUrl !== null) {
        URL.revokeObjectURL(objectUrl);
      }
    };
  }, [spectrogramRequested, spectrogramUrl, timelineDuration, fetcher]);

  const spectrogramShown = spectrogramWanted && spectrogram.status === 'ready' && !spectrogramTooWide;
  const spectrogramPluginOptions = spectrogram.status === 'ready' ? spectrogram.options : null;
  useEffect(() => {
    if (!live(instance) || !spectrogramShown || spectrogramPluginOptions === null) {
      return;
    }
    const plugin = instance.ws.registerPlugin(factories().spectrogram(spectrogramPluginOptions(SPECTROGRAM_HEIGHT)));
    moveRulerLast(instance.ws);
    return () => instance.ws.unregisterPlugin(plugin);
  }, [instance, spectrogramShown, spectrogramPluginOptions]);

  // ---------------------------------------------------------------- zoom commands
  const step = (direction: 1 | -1) =>
    setZoom((current) => {
      const next = zoomStep(current.fit ? range.min : clampZoom(current.px, range), direction, range);
      return next <= range.min ? { fit: true } : { fit: false, px: next };
    });
  const zoomIn = () => step(1);
  const zoomOut = () => step(-1);
  const zoomToFit = () => setZoom({ fit: true });
  const zoomToFrames = () => setZoom({ fit: false, px: range.max });
  const showSpectrogram = (on: boolean) => {
    setSpectrogramWanted(on);
    if (on) {
      setSpectrogramRequested(true);
    }
  };

  useImperativeHandle(ref, () => ({ zoomIn, zoomOut, zoomToFit, zoomToFrames, showSpectrogram }));

  // ---------------------------------------------------------------- render
  let waveMessage: { text: string; error?: boolean } | null = null;
  if (!(timelineDuration > 0) && peaksState.status !== 'loading') {
    waveMessage = { text: 'No timeline: the video’s duration is unknown', error: true };
  } else if (peaksState.status === 'loading') {
    waveMessage = { text: 'Loading waveform…' };
  } else if (peaksState.status === 'none') {
    waveMessage = { text: 'No audio' };
  } else if (peaksState.status === 'error') {
    waveMessage = { text: `Waveform unavailable (${peaksState.message})`, error: true };
  }

  let spectrogramNote: string | null = null;
  if (spectrogramWanted) {
    if (spectrogram.status === 'loading') {
      spectrogramNote = 'Loading spectrogram…';
    } else if (spectrogram.status === 'error') {
      spectrogramNote = `Spectrogram unavailable (${spectrogram.message})`;
    } else if (spectrogram.status === 'ready' && spectrogramTooWide) {
      spectrogramNote = 'Spectrogram hidden at this zoom: zoom out to see it';
    }
  }

  const atMin = pxPerSec <= range.min * (1 + 1e-6);
  const atMax = pxPerSec >= range.max * (1 - 1e-6);

  return (
    <div className="tl" role="group" aria-label="Timeline">
      <div className="tl-toolbar" role="toolbar" aria-label="Timeline zoom">
        <button type="button" onClick={zoomOut} disabled={atMin} title="Zoom out">
          −
        </button>
        <button type="button" onClick={zoomIn} disabled={atMax} title="Zoom in">
          +
        </button>
        <button type="button" onClick={zoomToFit} disabled={atMin}>
          Whole video
        </button>
        <button type="button" onClick={zoomToFrames} disabled={atMax}>
          Frames
        </button>
        <span className="tl-zoom" aria-live="polite" data-testid="timeline-zoom">
          {zoomLabel(pxPerSec, range)}
        </span>
        <button
          type="button"
          aria-pressed={spectrogramWanted}
          disabled={spectrogramUrl === null}
          title={spectrogramUrl === null ? 'No spectrogram for this video' : undefined}
          onClick={() => showSpectrogram(!spectrogramWanted)}
        >
          Spectrogram
        </button>
        {spectrogramNote !== null && <span className="tl-note">{spectrogramNote}</span>}
      </div>
      <div className="tl-wave-area">
        <div ref={waveRef} className="tl-wave" data-testid="timeline-waveform" />
        {waveMessage !== null && (
          <div className={waveMessage.error ? 'tl-wave-message tl-error' : 'tl-wave-message'} role="status">
            {waveMessage.text}
          </div>
        )}
      </div>
      {thumbnailsUrl !== null && thumbnailsIndex !== null && timelineDuration > 0 && (
        <ThumbnailStrip
          url={thumbnailsUrl}
          index={thumbnailsIndex}
          totalWidth={layout.totalWidth}
          pxPerSec={layout.pxPerSec}
          scrollLeft={scrollLeft}
          viewWidth={viewWidth}
          height={THUMB_HEIGHT}
        />
      )}
    </div>
  );
}
