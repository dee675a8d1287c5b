/**
 * Pure helpers of the timeline: the server's precomputed waveform peaks
 * (pipeline/media/peaks.py, `to_peaks_json`), the zoom range, the thumbnail
 * sprite's tiles and the time <-> pixel mapping. Nothing here touches the DOM.
 */
import type { ThumbnailsIndex } from './types';

/** One resolution of the peaks: bucket k covers seconds [k / b, (k + 1) / b). */
export interface PeakLevel {
  samples_per_bucket: number;
  buckets_per_second: number;
  buckets: number;
  /** Interleaved [min0, max0, min1, max1, ...], floats in [-1, 1]. */
  data: number[];
}

export interface PeaksData {
  version: 1;
  duration: number;
  sample_rate: number;
  /** Finest first. */
  levels: PeakLevel[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Validates the peaks JSON the server wrote; throws an Error saying what is
 * wrong. Levels come back finest first whatever their order in the file.
 */
export function parsePeaks(json: unknown): PeaksData {
  if (!isObject(json)) {
    throw new Error('peaks: not a JSON object');
  }
  if (json.version !== 1) {
    throw new Error(`peaks: unsupported version ${String(json.version)}`);
  }
  const { duration, sample_rate: sampleRate, levels } = json;
  if (!isFiniteNumber(duration) || duration < 0) {
    throw new Error('peaks: duration must be a non-negative number');
  }
  if (!isFiniteNumber(sampleRate) || sampleRate <= 0) {
    throw new Error('peaks: sample_rate must be a positive number');
  }
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new Error('peaks: no levels');
  }
  const parsed = levels.map((level: unknown, i): PeakLevel => {
    if (!isObject(level)) {
      throw new Error(`peaks: level ${i} is not an object`);
    }
    const { samples_per_bucket: spb, buckets_per_second: bps, buckets, data } = level;
    if (!isFiniteNumber(bps) || bps <= 0) {
      throw new Error(`peaks: level ${i} has no positive buckets_per_second`);
    }
    if (!isFiniteNumber(buckets) || !Number.isInteger(buckets) || buckets < 0) {
      throw new Error(`peaks: level ${i} has an invalid bucket count`);
    }
    if (!Array.isArray(data) || data.length !== 2 * buckets) {
      throw new Error(`peaks: level ${i} should have ${2 * buckets} values`);
    }
    for (const value of data) {
      if (!isFiniteNumber(value)) {
        throw new Error(`peaks: level ${i} has a value that is not a number`);
      }
    }
    return {
      samples_per_bucket: isFiniteNumber(spb) ? spb : sampleRate / bps,
      buckets_per_second: bps,
      buckets,
      data: data as number[],
    };
  });
  parsed.sort((a, b) => b.buckets_per_second - a.buckets_per_second);
  return { version: 1, duration, sample_rate: sampleRate, levels: parsed };
}

/**
 * The coarsest level with at least one bucket per pixel at `pxPerSec` (the
 * finest level when none is that fine). `levels` must be finest first.
 */
export function chooseLevel<L extends { buckets_per_second: number }>(levels: readonly L[], pxPerSec: number): L {
  const finest = levels[0];
  if (finest === undefined) {
    throw new Error('chooseLevel: no levels');
  }
  let chosen = finest;
  for (const level of levels) {
    // A hair of tolerance: 20 buckets a second is "enough" for 20.0000001 px/s.
    if (level.buckets_per_second >= pxPerSec * (1 - 1e-6)) {
      chosen = level;
    }
  }
  return chosen;
}

/**
 * De-interleaves a level into wavesurfer.js 8's `peaks` option: channel 0 is
 * drawn above the centre line, channel 1 below it, so [maxima, minima] gives
 * the true asymmetric envelope. With `duration` (the timeline's, i.e. the
 * video's) the arrays are cut or padded with silence to ceil(duration * b)
 * buckets, because wavesurfer stretches them evenly over `duration`: a bucket
 * then lands on its own time even where the audio track is shorter or longer
 * than the video. Never empty (wavesurfer refuses empty channels).
 */
export function toWaveSurferPeaks(level: PeakLevel, duration?: number): [Float32Array, Float32Array] {
  const wanted =
    duration !== undefined && Number.isFinite(duration) && duration > 0
      ? Math.ceil(duration * level.buckets_per_second - 1e-9)
      : level.buckets;
  const length = Math.max(1, wanted);
  const max = new Float32Array(length);
  const min = new Float32Array(length);
  const n = Math.min(length, level.buckets);
  for (let k = 0; k < n; k++) {
    min[k] = level.data[2 * k] ?? 0;
    max[k] = level.data[2 * k + 1] ?? 0;
  }
  return [max, min];
}

/** The flat line drawn for a video without audio (wavesurfer needs some peaks to lay out its timeline). */
export function silentPeaks(): [Float32Array, Float32Array] {
  return [new Float32Array(1), new Float32Array(1)];
}

// ---------------------------------------------------------------- zoom

/** Pixels per frame at the deepest zoom. */
export const PX_PER_FRAME = 20;
/** Each zoom step multiplies or divides pixels per second by this. */
export const ZOOM_FACTOR = 1.5;
/** Assumed when the frame rate is unknown. */
const DEFAULT_FPS = 25;
/** Assumed when the container's width is not known yet (e.g. before layout). */
export const DEFAULT_WIDTH = 1000;

/** Pixels per second that fit the whole video into `containerWidth` pixels. */
export function minPxPerSec(duration: number, containerWidth: number): number {
  const width = Number.isFinite(containerWidth) && containerWidth > 0 ? containerWidth : DEFAULT_WIDTH;
  if (!Number.isFinite(duration) || duration <= 0) {
    return 1;
  }
  return width / duration;
}

/** Pixels per second at frame level: PX_PER_FRAME pixels for every frame. */
export function maxPxPerSec(fps: number): number {
  const rate = Number.isFinite(fps) && fps > 0 ? fps : DEFAULT_FPS;
  return rate * PX_PER_FRAME;
}

export interface ZoomRange {
  min: number;
  max: number;
}

/** The zoom range of a video in a container (max is never below min: a short video fits at frame level). */
export function zoomRange(duration: number, containerWidth: number, fps: number): ZoomRange {
  const min = minPxPerSec(duration, containerWidth);
  return { min, max: Math.max(min, maxPxPerSec(fps)) };
}

export function clampZoom(pxPerSec: number, range: ZoomRange): number {
  if (!Number.isFinite(pxPerSec)) {
    return range.min;
  }
  return Math.min(range.max, Math.max(range.min, pxPerSec));
}

/** One zoom step in (+1) or out (-1) from `current`, ×1.5 or ÷1.5, clamped to the range. */
export function zoomStep(current: number, direction: 1 | -1, range: ZoomRange): number {
  const next = direction > 0 ? current * ZOOM_FACTOR : current / ZOOM_FACTOR;
  return clampZoom(next, range);
}

/** What the zoom reads as: "whole video", "frame level" or "N px/s". */
export function zoomLabel(pxPerSec: number, range: ZoomRange): string {
  if (pxPerSec <= range.min * (1 + 1e-6)) {
    return 'whole video';
  }
  if (pxPerSec >= range.max * (1 - 1e-6)) {
    return 'frame level';
  }
  const rounded = pxPerSec < 10 ? Math.round(pxPerSec * 10) / 10 : Math.round(pxPerSec);
  return `${rounded} px/s`;
}

/**
 * The width wavesurfer gives the waveform (its `calculateWaveformLayout`):
 * duration × px/s rounded up, or the container's width where that is
 * narrower (fillParent stretches the waveform); and the resulting scale.
 */
export function waveformLayout(
  duration: number,
  pxPerSec: number,
  containerWidth: number,
): { totalWidth: number; pxPerSec: number } {
  if (!Number.isFinite(duration) || duration <= 0) {
    return { totalWidth: Math.max(0, containerWidth), pxPerSec };
  }
  const scrollWidth = Math.ceil(duration * pxPerSec);
  const totalWidth = scrollWidth > containerWidth ? scrollWidth : Math.max(0, containerWidth);
  return { totalWidth, pxPerSec: totalWidth / duration };
}

// ---------------------------------------------------------------- time <-> pixels

/** The x (pixels from the waveform's left edge, minus the scroll) of `time`. */
export function timeToX(time: number, pxPerSec: number, scrollLeft = 0): number {
  return time * pxPerSec - scrollLeft;
}

/** The time at x (pixels from the visible left edge, plus the scroll). */
export function xToTime(x: number, pxPerSec: number, scrollLeft = 0): number {
  return pxPerSec > 0 ? (x + scrollLeft) / pxPerSec : 0;
}

// ---------------------------------------------------------------- thumbnails

export interface Tile {
  /** Index of the tile in the sprite. */
  k: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The sprite tile to show at `time`: the last k with times[k] <= time (the
 * first tile before times[0]), at ((k % columns) × w, floor(k / columns) × h).
 * Null when the index has no tiles.
 */
export function thumbnailTileAt(index: ThumbnailsIndex, time: number): Tile | null {
  const { times, columns, thumb_width: w, thumb_height: h } = index;
  const count = Math.min(times.length, columns > 0 ? columns * Math.max(1, index.rows) : 0);
  if (count === 0) {
    return null;
  }
  // Binary search: times strictly increase.
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] ?? Infinity) <= time) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const k = lo;
  return { k, x: (k % columns) * w, y: Math.floor(k / columns) * h, w, h };
}

// ---------------------------------------------------------------- time ruler

/** Tick spacings the ruler may use, seconds. */
const RULER_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
/** The timeline plugin makes one DOM node per tick over the whole video: keep it bounded. */
const MAX_TICKS = 20000;

export interface RulerIntervals {
  /** Seconds between tick marks. */
  timeInterval: number;
  /** Seconds between labels (on ticks). */
  primaryLabelInterval: number;
}

const isMultiple = (a: number, b: number) => Math.abs(a / b - Math.round(a / b)) < 1e-6;

/**
 * Tick and label spacing of the time ruler at `pxPerSec`: ticks at least
 * 12 px apart (and at most MAX_TICKS of them over the video), labels on
 * ticks at least 90 px apart.
 */
export function rulerIntervals(pxPerSec: number, duration: number): RulerIntervals {
  const last = RULER_STEPS[RULER_STEPS.length - 1] as number;
  const span = Number.isFinite(duration) && duration > 0 ? duration : 0;
  const pick = (fits: (step: number) => boolean) => RULER_STEPS.find(fits) ?? last;
  const tick = pick((s) => s * pxPerSec >= 12 && span / s <= MAX_TICKS);
  const label = pick((s) => s >= tick && isMultiple(s, tick) && s * pxPerSec >= 90);
  return { timeInterval: tick, primaryLabelInterval: label };
}

/** A ruler label: "m:ss" (or "h:mm:ss"), with as many decimals as the spacing needs. */
export function formatRulerTime(seconds: number, interval: number): string {
  const decimals = interval >= 1 ? 0 : interval >= 0.1 ? 1 : 2;
  const scale = 10 ** decimals;
  const total = Math.round(Math.max(0, seconds) * scale) / scale;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total - hours * 3600) / 60);
  const secs = total - hours * 3600 - minutes * 60;
  const secText = secs.toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secText}` : `${minutes}:${secText}`;
}
