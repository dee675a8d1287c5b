import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import type WaveSurfer from 'wavesurfer.js';
import { clampZoom, rulerIntervals, waveformLayout, zoomLabel, zoomRange, zoomStep } from './peaks';
import type { TimelinePluginFactories } from './plugins';
import type { TimelineRegion } from './regions';
import { SPECTROGRAM_MAX_WIDTH } from './spectrogram';
import { ThumbnailStrip } from './ThumbnailStrip';
import type { ThumbnailsIndex } from './types';
import { usePeaks, useSpectrogramData, type PeaksState, type SpectrogramState } from './useTimelineData';
import { useWaveSurfer, type WaveSurferLatest } from './useWaveSurfer';
import './timeline.css';

export type { TimelineRegion } from './regions';
export {
  defaultPluginFactories,
  type RegionsPluginInstance,
  type RulerPluginInstance,
  type SpectrogramPluginInstance,
  type TimelinePluginFactories,
} from './plugins';

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
  /** A click on a thumbnail seeks here (default: sets the media's current time). */
  onSeek?(time: number): void;
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
  /** The seconds the waveform shows now (the whole video when it fits), or null before it is laid out. */
  visibleRange?(): { start: number; end: number } | null;
}

/** Whole video, or a number of pixels per second. */
type Zoom = { fit: true } | { fit: false; px: number };

const THUMB_HEIGHT = 45;

function waveMessageOf(peaksState: PeaksState, duration: number): { text: string; error?: boolean } | null {
  if (!(duration > 0) && peaksState.status !== 'loading') {
    return { text: 'No timeline: the video’s duration is unknown', error: true };
  }
  switch (peaksState.status) {
    case 'loading':
      return { text: 'Loading waveform…' };
    case 'none':
      return { text: 'No audio' };
    case 'error':
      return { text: `Waveform unavailable (${peaksState.message})`, error: true };
    default:
      return null;
  }
}

function spectrogramNoteOf(wanted: boolean, spectrogram: SpectrogramState, tooWide: boolean): string | null {
  if (!wanted) return null;
  if (spectrogram.status === 'loading') return 'Loading spectrogram…';
  if (spectrogram.status === 'error') return `Spectrogram unavailable (${spectrogram.message})`;
  if (spectrogram.status === 'ready' && tooWide) return 'Spectrogram hidden at this zoom: zoom out to see it';
  return null;
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
  onSeek,
  fetchImpl,
  createWaveSurfer,
  plugins,
  ref,
}: TimelineProps) {
  const seekThumbnail = (time: number) => {
    if (onSeek !== undefined) onSeek(time);
    else if (media !== null) media.currentTime = time;
  };
  const waveRef = useRef<HTMLDivElement>(null);

  // The latest callbacks and injectables, so that effects need not re-run when the page passes new closures.
  const latest = useRef<WaveSurferLatest & { fetchImpl?: typeof fetch }>({ onSelect, onRegionChange, fetchImpl, createWaveSurfer, plugins });
  useEffect(() => {
    latest.current = { onSelect, onRegionChange, fetchImpl, createWaveSurfer, plugins };
  });
  const fetcher = useCallback<typeof fetch>(
    (input, init) => (latest.current.fetchImpl ?? fetch)(input, init),
    [],
  );

  const peaksState = usePeaks(peaksUrl, fetcher);
  const peaks = peaksState.status === 'ready' ? peaksState.peaks : null;
  const timelineDuration = Number.isFinite(duration) && duration > 0 ? duration : (peaks?.duration ?? 0);

  const [viewWidth, setViewWidth] = useState(0);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [zoom, setZoom] = useState<Zoom>({ fit: true });
  const [spectrogramWanted, setSpectrogramWanted] = useState(false);
  /** Latched on the first time the spectrogram is turned on. */
  const [spectrogramRequested, setSpectrogramRequested] = useState(false);
  const spectrogram = useSpectrogramData(spectrogramRequested, spectrogramUrl, timelineDuration, fetcher);

  const range = zoomRange(timelineDuration, viewWidth, fps);
  const pxPerSec = zoom.fit ? range.min : clampZoom(zoom.px, range);
  const layout = waveformLayout(timelineDuration, pxPerSec, viewWidth);
  const spectrogramTooWide = layout.totalWidth > SPECTROGRAM_MAX_WIDTH;
  const ruler = rulerIntervals(layout.pxPerSec, timelineDuration);
  const spectrogramShown = spectrogramWanted && spectrogram.status === 'ready' && !spectrogramTooWide;

  useLayoutEffect(() => {
    const width = waveRef.current?.clientWidth ?? 0;
    if (width > 0) {
      setViewWidth(width);
    }
  }, []);

  useWaveSurfer({
    container: waveRef,
    latest,
    peaksState,
    media,
    duration: timelineDuration,
    pxPerSec,
    regions,
    selectedKey,
    ruler,
    spectrogram: spectrogramShown && spectrogram.status === 'ready' ? spectrogram.options : null,
    onScroll: setScrollLeft,
    onWidth: setViewWidth,
  });

  // Zoom commands.
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

  const visibleRange = () => {
    if (!(timelineDuration > 0) || !(layout.pxPerSec > 0)) return null;
    if (zoom.fit || viewWidth <= 0) return { start: 0, end: timelineDuration };
    const start = Math.max(0, scrollLeft / layout.pxPerSec);
    return { start, end: Math.min(timelineDuration, start + viewWidth / layout.pxPerSec) };
  };
  useImperativeHandle(ref, () => ({ zoomIn, zoomOut, zoomToFit, zoomToFrames, showSpectrogram, visibleRange }));

  const waveMessage = waveMessageOf(peaksState, timelineDuration);
  const spectrogramNote = spectrogramNoteOf(spectrogramWanted, spectrogram, spectrogramTooWide);
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
          onSeek={seekThumbnail}
        />
      )}
    </div>
  );
}
