import { describe, expect, it } from 'vitest';
import type { ThumbnailsIndex } from './types';
import {
  chooseLevel,
  clampZoom,
  formatRulerTime,
  maxPxPerSec,
  minPxPerSec,
  parsePeaks,
  rulerIntervals,
  thumbnailTileAt,
  timeToX,
  toWaveSurferPeaks,
  waveformLayout,
  xToTime,
  zoomLabel,
  zoomRange,
  zoomStep,
  type PeakLevel,
} from './peaks';

function level(bps: number, data: number[]): PeakLevel {
  return { samples_per_bucket: 16000 / bps, buckets_per_second: bps, buckets: data.length / 2, data };
}

const levels = [100, 20, 4, 1].map((bps) => ({ buckets_per_second: bps }));

describe('parsePeaks', () => {
  const json = {
    version: 1,
    duration: 2.5,
    sample_rate: 16000,
    levels: [
      { samples_per_bucket: 16000, buckets_per_second: 1, buckets: 3, data: [-0.5, 0.5, -0.25, 0.75, 0, 0] },
      { samples_per_bucket: 4000, buckets_per_second: 4, buckets: 1, data: [-0.1, 0.2] },
    ],
  };

  it('accepts the server format and orders levels finest first', () => {
    const peaks = parsePeaks(json);
    expect(peaks.duration).toBe(2.5);
    expect(peaks.sample_rate).toBe(16000);
    expect(peaks.levels.map((l) => l.buckets_per_second)).toEqual([4, 1]);
    expect(peaks.levels[1]!.data).toEqual([-0.5, 0.5, -0.25, 0.75, 0, 0]);
  });

  it.each([
    ['a non-object', [1, 2]],
    ['another version', { ...json, version: 2 }],
    ['a missing duration', { ...json, duration: 'x' }],
    ['no levels', { ...json, levels: [] }],
    ['a data length that does not match buckets', { ...json, levels: [{ buckets_per_second: 1, buckets: 2, data: [0, 0] }] }],
    ['a non-number value', { ...json, levels: [{ buckets_per_second: 1, buckets: 1, data: [0, null] }] }],
    ['a zero rate', { ...json, levels: [{ buckets_per_second: 0, buckets: 0, data: [] }] }],
  ])('rejects %s', (_name, bad) => {
    expect(() => parsePeaks(bad)).toThrow(/peaks:/);
  });
});

describe('chooseLevel', () => {
  it('picks the coarsest level with at least one bucket per pixel', () => {
    expect(chooseLevel(levels, 0.3).buckets_per_second).toBe(1);
    expect(chooseLevel(levels, 1).buckets_per_second).toBe(1);
    expect(chooseLevel(levels, 1.01).buckets_per_second).toBe(4);
    expect(chooseLevel(levels, 10).buckets_per_second).toBe(20);
    expect(chooseLevel(levels, 20).buckets_per_second).toBe(20);
    expect(chooseLevel(levels, 21).buckets_per_second).toBe(100);
  });

  it('falls back to the finest level when none is fine enough', () => {
    expect(chooseLevel(levels, 500).buckets_per_second).toBe(100);
  });

  it('needs a level', () => {
    expect(() => chooseLevel([], 1)).toThrow();
  });
});

describe('toWaveSurferPeaks', () => {
  const l = level(2, [-0.5, 0.5, -0.25, 0.75, -1, 0.125]);

  it('de-interleaves into [maxima, minima] Float32Arrays', () => {
    const [max, min] = toWaveSurferPeaks(l);
    expect(max).toBeInstanceOf(Float32Array);
    expect(Array.from(max)).toEqual([0.5, 0.75, 0.125]);
    expect(Array.from(min)).toEqual([-0.5, -0.25, -1]);
  });

  it('pads with silence or cuts to cover the given duration', () => {
    const [max, min] = toWaveSurferPeaks(l, 2.2);
    expect(Array.from(max)).toEqual([0.5, 0.75, 0.125, 0, 0]);
    expect(Array.from(min)).toEqual([-0.5, -0.25, -1, 0, 0]);
    const [cut] = toWaveSurferPeaks(l, 1);
    expect(Array.from(cut)).toEqual([0.5, 0.75]);
  });

  it('never returns empty channels', () => {
    const [max, min] = toWaveSurferPeaks(level(1, []));
    expect(max.length).toBe(1);
    expect(min.length).toBe(1);
  });
});

describe('zoom', () => {
  it('fits the whole video into the container', () => {
    expect(minPxPerSec(100, 1000)).toBe(10);
    expect(minPxPerSec(3600, 1200)).toBeCloseTo(1 / 3);
    // Unknown width: a default; unknown duration: 1.
    expect(minPxPerSec(100, 0)).toBe(10);
    expect(minPxPerSec(0, 1000)).toBe(1);
  });

  it('goes down to 20 pixels a frame', () => {
    expect(maxPxPerSec(25)).toBe(500);
    expect(maxPxPerSec(30)).toBe(600);
    expect(maxPxPerSec(0)).toBe(500);
  });

  it('never has max below min (a short video fits at frame level)', () => {
    expect(zoomRange(100, 1000, 25)).toEqual({ min: 10, max: 500 });
    expect(zoomRange(1, 1000, 25)).toEqual({ min: 1000, max: 1000 });
  });

  it('steps ×1.5 and clamps', () => {
    const range = { min: 10, max: 500 };
    expect(zoomStep(10, 1, range)).toBe(15);
    expect(zoomStep(15, -1, range)).toBe(10);
    expect(zoomStep(10, -1, range)).toBe(10);
    expect(zoomStep(400, 1, range)).toBe(500);
    expect(zoomStep(500, 1, range)).toBe(500);
    expect(clampZoom(Number.NaN, range)).toBe(10);
  });

  it('labels the zoom', () => {
    const range = { min: 10, max: 500 };
    expect(zoomLabel(10, range)).toBe('whole video');
    expect(zoomLabel(500, range)).toBe('frame level');
    expect(zoomLabel(15, range)).toBe('15 px/s');
    expect(zoomLabel(2.25, { min: 1, max: 500 })).toBe('2.3 px/s');
  });

  it('mirrors wavesurfer’s layout: stretched to the container, else duration × px/s rounded up', () => {
    expect(waveformLayout(100, 5, 1000)).toEqual({ totalWidth: 1000, pxPerSec: 10 });
    expect(waveformLayout(100, 15.5, 1000)).toEqual({ totalWidth: 1550, pxPerSec: 15.5 });
  });
});

describe('time <-> x', () => {
  it('converts both ways, with the scroll', () => {
    expect(timeToX(2, 50)).toBe(100);
    expect(timeToX(2, 50, 30)).toBe(70);
    expect(xToTime(100, 50)).toBe(2);
    expect(xToTime(70, 50, 30)).toBe(2);
    expect(xToTime(10, 0)).toBe(0);
    for (const t of [0, 0.04, 12.5, 3599.96]) {
      expect(xToTime(timeToX(t, 500, 1234), 500, 1234)).toBeCloseTo(t, 9);
    }
  });
});

describe('thumbnailTileAt', () => {
  const index: ThumbnailsIndex = {
    thumb_width: 160,
    thumb_height: 90,
    columns: 10,
    rows: 2,
    times: Array.from({ length: 12 }, (_, k) => k * 10),
    frame_indices: Array.from({ length: 12 }, (_, k) => k * 250),
  };

  it('finds the last tile at or before the time', () => {
    expect(thumbnailTileAt(index, 0)).toEqual({ k: 0, x: 0, y: 0, w: 160, h: 90 });
    expect(thumbnailTileAt(index, 9.99)).toMatchObject({ k: 0 });
    expect(thumbnailTileAt(index, 10)).toMatchObject({ k: 1, x: 160, y: 0 });
    expect(thumbnailTileAt(index, 95)).toMatchObject({ k: 9, x: 1440, y: 0 });
    expect(thumbnailTileAt(index, 100)).toEqual({ k: 10, x: 0, y: 90, w: 160, h: 90 });
    expect(thumbnailTileAt(index, 1e6)).toMatchObject({ k: 11, x: 160, y: 90 });
  });

  it('uses the first tile before times[0]', () => {
    expect(thumbnailTileAt({ ...index, times: index.times.map((t) => t + 1) }, 0.5)).toMatchObject({ k: 0 });
  });

  it('is null without tiles', () => {
    expect(thumbnailTileAt({ ...index, times: [], frame_indices: [] }, 3)).toBeNull();
  });
});

describe('ruler', () => {
  it('spaces ticks and labels by the zoom', () => {
    expect(rulerIntervals(500, 60)).toEqual({ timeInterval: 0.05, primaryLabelInterval: 0.2 });
    expect(rulerIntervals(10, 100)).toEqual({ timeInterval: 2, primaryLabelInterval: 10 });
    const px = 1000 / 3600;
    const whole = rulerIntervals(px, 3600);
    expect(whole.timeInterval * px).toBeGreaterThanOrEqual(12);
    expect(whole.primaryLabelInterval * px).toBeGreaterThanOrEqual(90);
    expect(whole.primaryLabelInterval % whole.timeInterval).toBe(0);
  });

  it('keeps the number of ticks bounded on long videos', () => {
    const { timeInterval } = rulerIntervals(500, 3600);
    expect(3600 / timeInterval).toBeLessThanOrEqual(20000);
  });

  it('formats labels with the decimals the spacing needs', () => {
    expect(formatRulerTime(65, 5)).toBe('1:05');
    expect(formatRulerTime(3725, 60)).toBe('1:02:05');
    expect(formatRulerTime(1.2, 0.2)).toBe('0:01.2');
    expect(formatRulerTime(61.04, 0.02)).toBe('1:01.04');
    expect(formatRulerTime(59.96, 0.1)).toBe('1:00.0');
  });
});
