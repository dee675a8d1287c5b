/**
 * The server's precomputed spectrogram (pipeline/media/peaks.py,
 * `to_spectrogram_json`) and how it is handed to wavesurfer.js 8's
 * spectrogram plugin, which takes precomputed data only from a URL
 * (`frequenciesDataUrl`) answering the bare [frame][bin] array.
 */
import type { SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';

export interface SpectrogramData {
  duration: number;
  /** Seconds per column. */
  hop_seconds: number;
  /** Hz of the top row; row k is at k * frequency_max / bins Hz. */
  frequency_max: number;
  bins: number;
  columns: number;
  db_min: number;
  db_max: number;
  /** [[uint8 x bins] per column], low frequencies first. */
  data: number[][];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Validates the spectrogram JSON; throws an Error saying what is wrong. */
export function parseSpectrogram(json: unknown): SpectrogramData {
  if (!isObject(json)) {
    throw new Error('spectrogram: not a JSON object');
  }
  const { duration, hop_seconds: hop, frequency_max: fmax, bins, columns, db_min: dbMin, db_max: dbMax, data } = json;
  if (!isFiniteNumber(duration) || duration < 0) {
    throw new Error('spectrogram: duration must be a non-negative number');
  }
  if (!isFiniteNumber(hop) || hop <= 0) {
    throw new Error('spectrogram: hop_seconds must be positive');
  }
  if (!isFiniteNumber(fmax) || fmax <= 0) {
    throw new Error('spectrogram: frequency_max must be positive');
  }
  if (!isFiniteNumber(bins) || !Number.isInteger(bins) || bins <= 0) {
    throw new Error('spectrogram: bins must be a positive integer');
  }
  if (!Array.isArray(data) || (isFiniteNumber(columns) && data.length !== columns)) {
    throw new Error('spectrogram: data should have one row per column');
  }
  for (const column of data) {
    if (!Array.isArray(column) || column.length !== bins) {
      throw new Error(`spectrogram: every column should have ${bins} values`);
    }
  }
  return {
    duration,
    hop_seconds: hop,
    frequency_max: fmax,
    bins,
    columns: data.length,
    db_min: isFiniteNumber(dbMin) ? dbMin : -100,
    db_max: isFiniteNumber(dbMax) ? dbMax : 0,
    data: data as number[][],
  };
}

/**
 * The [frame][bin] array for the plugin, cut or padded (with the quietest
 * value) to ceil(duration / hop) columns: the plugin stretches the columns
 * evenly over the waveform, which spans `duration` (the video's).
 */
export function spectrogramFrames(spec: SpectrogramData, duration: number): number[][] {
  if (!Number.isFinite(duration) || duration <= 0) {
    return spec.data;
  }
  const wanted = Math.max(1, Math.ceil(duration / spec.hop_seconds - 1e-9));
  if (wanted === spec.data.length) {
    return spec.data;
  }
  if (wanted < spec.data.length) {
    return spec.data.slice(0, wanted);
  }
  const silent = new Array<number>(spec.bins).fill(0);
  return spec.data.concat(Array.from({ length: wanted - spec.data.length }, () => silent));
}

/**
 * The plugin's options for precomputed data: its rows are taken to span
 * 0..sampleRate/2, so sampleRate is twice the top frequency; linear scale.
 */
export function spectrogramOptions(spec: SpectrogramData, frequenciesDataUrl: string, height: number): SpectrogramPluginOptions {
  return {
    frequenciesDataUrl,
    sampleRate: 2 * spec.frequency_max,
    frequencyMin: 0,
    frequencyMax: spec.frequency_max,
    scale: 'linear',
    height,
    labels: true,
    colorMap: 'roseus',
  };
}

/**
 * Above this many pixels of waveform the plugin is not shown: it resamples
 * the whole spectrogram to one column per pixel of the full width
 * (`bins` bytes each), which at frame level on an hour of video would take
 * hundreds of MB.
 */
export const SPECTROGRAM_MAX_WIDTH = 120_000;
