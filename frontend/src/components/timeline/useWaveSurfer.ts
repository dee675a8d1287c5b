import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import { chooseLevel, formatRulerTime, silentPeaks, toWaveSurferPeaks, type PeakLevel, type PeaksData } from './peaks';
import { defaultPluginFactories, mediaSource, moveRulerLast, type RegionsPluginInstance, type TimelinePluginFactories } from './plugins';
import { clearRegions, syncRegions, type SyncedRegions, type TimelineRegion } from './regions';
import type { PeaksState } from './useTimelineData';

const WAVE_HEIGHT = 64;
const RULER_HEIGHT = 22;
const SPECTROGRAM_HEIGHT = 128;

const devicePixelRatio = () => (typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1);

/** The time under a click on the waveform (its wrapper spans the whole, scrolled, width), or null. */
export function clickTime(ws: Pick<WaveSurfer, 'getWrapper' | 'getDuration'>, event: MouseEvent): number | null {
  const rect = ws.getWrapper().getBoundingClientRect();
  const duration = ws.getDuration();
  if (!(rect.width > 0) || !(duration > 0) || !Number.isFinite(event.clientX)) return null;
  const progress = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
  return progress * duration;
}

/** What the page passed last: read by wavesurfer's listeners, so its effects need not re-run for new closures. */
export interface WaveSurferLatest {
  onSelect(key: string | null): void;
  onRegionChange(key: string, start: number, end: number): void;
  createWaveSurfer?: typeof WaveSurfer.create;
  plugins?: TimelinePluginFactories;
}

export interface WaveSurferParams {
  container: RefObject<HTMLDivElement | null>;
  latest: RefObject<WaveSurferLatest>;
  peaksState: PeaksState;
  media: HTMLMediaElement | null;
  duration: number;
  pxPerSec: number;
  regions: TimelineRegion[];
  selectedKey: string | null;
  ruler: { timeInterval: number; primaryLabelInterval: number };
  /** The spectrogram plugin's options for a height, while it is shown; null hides it. */
  spectrogram: ((height: number) => SpectrogramPluginOptions) | null;
  onScroll(left: number): void;
  onWidth(width: number): void;
}

interface Instance {
  ws: WaveSurfer;
  regions: RegionsPluginInstance;
}

/**
 * The wavesurfer instance of the timeline and its plugins: made again when
 * the peaks, the media or the duration change; zoomed (switching the peaks
 * level as the zoom needs) when `pxPerSec` changes; regions, ruler and
 * spectrogram kept in step with the parameters.
 */
export function useWaveSurfer(params: WaveSurferParams): void {
  const { container, latest, peaksState, media, pxPerSec, ruler, spectrogram } = params;
  const timelineDuration = params.duration;
  const factories = () => latest.current.plugins ?? defaultPluginFactories;
  const [instance, setInstance] = useState<Instance | null>(null);
  /** Bumped on every wavesurfer 'ready' (regions can only be placed once the duration is known). */
  const [readyCount, setReadyCount] = useState(0);
  /** Bumped after a drag ends: the regions are put back where the props say if the page did not take the change. */
  const [resync, setResync] = useState(0);

  // What the wavesurfer instance currently has, read by event handlers.
  const wsRef = useRef<WaveSurfer | null>(null);
  const pxRef = useRef(pxPerSec);
  const appliedPxRef = useRef(pxPerSec);
  const levelRef = useRef<PeakLevel | null>(null);
  const readyRef = useRef(false);
  const peaksRef = useRef<PeaksData | null>(null);
  const durationRef = useRef(timelineDuration);
  const syncedRef = useRef<SyncedRegions>(new Map());

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

  useEffect(() => {
    pxRef.current = pxPerSec;
  });

  useEffect(() => {
    const element = container.current;
    if (element === null || peaksState.status === 'loading' || !(timelineDuration > 0)) {
      return;
    }
    const data = peaksState.status === 'ready' ? peaksState.peaks : null;
    const px = pxRef.current;
    const level = data === null ? null : chooseLevel(data.levels, px * devicePixelRatio());
    const create = latest.current.createWaveSurfer ?? ((options) => WaveSurfer.create(options));
    const ws = create({
      container: element,
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
      ws.on('scroll', (_start, _end, left) => params.onScroll(left)),
      ws.on('resize', () => {
        const width = ws.getWidth();
        if (width > 0) {
          params.onWidth(width);
        }
      }),
      ws.on('redraw', () => params.onScroll(ws.getScroll())),
      regionsPlugin.on('region-updated', (region) => {
        if (syncedRef.current.has(region.id)) {
          latest.current.onRegionChange(region.id, region.start, region.end);
          setResync((n) => n + 1);
        }
      }),
      regionsPlugin.on('region-clicked', (region, event) => {
        // A click inside a region seeks to where it landed (as on the bare waveform) and selects the region;
        // the waveform underneath is kept from seeking a second time.
        event.stopPropagation();
        const time = clickTime(ws, event);
        if (time !== null) ws.setTime(time);
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

  // Regions.
  useEffect(() => {
    if (!live(instance) || !readyRef.current) {
      return;
    }
    syncRegions(instance.regions, syncedRef.current, params.regions, params.selectedKey);
  }, [instance, readyCount, params.regions, params.selectedKey, resync]);

  // The time ruler.
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

  // The spectrogram, while shown.
  useEffect(() => {
    if (!live(instance) || spectrogram === null) {
      return;
    }
    const plugin = instance.ws.registerPlugin(factories().spectrogram(spectrogram(SPECTROGRAM_HEIGHT)));
    moveRulerLast(instance.ws);
    return () => instance.ws.unregisterPlugin(plugin);
  }, [instance, spectrogram]);
}
