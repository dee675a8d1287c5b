import { describe, expect, it } from 'vitest';
import { formatDuration, isActive, progressPercent } from './progress';
import type { JobState } from './types';

const p = (progress_done: number, progress_total: number) => ({ progress_done, progress_total });

describe('progressPercent', () => {
  it('is null (indeterminate) when the total is 0', () => {
    expect(progressPercent(p(0, 0))).toBeNull();
    expect(progressPercent(p(5, 0))).toBeNull();
  });

  it('is null for a negative or non-finite total', () => {
    expect(progressPercent(p(1, -3))).toBeNull();
    expect(progressPercent(p(1, Number.NaN))).toBeNull();
  });

  it('floors to an integer', () => {
    expect(progressPercent(p(1, 3))).toBe(33);
    expect(progressPercent(p(2, 3))).toBe(66);
    expect(progressPercent(p(999, 1000))).toBe(99);
  });

  it('covers the ends of the range', () => {
    expect(progressPercent(p(0, 10))).toBe(0);
    expect(progressPercent(p(10, 10))).toBe(100);
  });

  it('clamps to 0..100', () => {
    expect(progressPercent(p(15, 10))).toBe(100);
    expect(progressPercent(p(-4, 10))).toBe(0);
  });
});

describe('isActive', () => {
  it.each<[JobState, boolean]>([
    ['queued', true],
    ['running', true],
    ['retrying', true],
    ['succeeded', false],
    ['failed', false],
  ])('%s -> %s', (state, expected) => {
    expect(isActive({ state })).toBe(expected);
  });
});

describe('formatDuration', () => {
  const start = '2024-05-01T10:00:00Z';
  const at = (iso: string) => Date.parse(iso);

  it('formats seconds', () => {
    expect(formatDuration(start, '2024-05-01T10:00:00Z', 0)).toBe('0 s');
    expect(formatDuration(start, '2024-05-01T10:00:03.900Z', 0)).toBe('3 s');
    expect(formatDuration(start, '2024-05-01T10:00:59Z', 0)).toBe('59 s');
  });

  it('formats minutes with zero-padded seconds', () => {
    expect(formatDuration(start, '2024-05-01T10:01:00Z', 0)).toBe('1 min 00 s');
    expect(formatDuration(start, '2024-05-01T10:02:05Z', 0)).toBe('2 min 05 s');
    expect(formatDuration(start, '2024-05-01T10:59:59Z', 0)).toBe('59 min 59 s');
  });

  it('formats hours with zero-padded minutes', () => {
    expect(formatDuration(start, '2024-05-01T11:00:00Z', 0)).toBe('1 h 00 min');
    expect(formatDuration(start, '2024-05-01T11:02:30Z', 0)).toBe('1 h 02 min');
    expect(formatDuration(start, '2024-05-02T12:45:00Z', 0)).toBe('26 h 45 min');
  });

  it('uses nowMs while the job has not finished', () => {
    expect(formatDuration(start, null, at('2024-05-01T10:00:42Z'))).toBe('42 s');
    expect(formatDuration(start, null, at('2024-05-01T10:03:07Z'))).toBe('3 min 07 s');
  });

  it('treats timezone offsets correctly', () => {
    expect(formatDuration('2024-05-01T12:00:00+02:00', '2024-05-01T10:00:10Z', 0)).toBe('10 s');
  });

  it('never goes negative (clock skew)', () => {
    expect(formatDuration(start, null, at('2024-05-01T09:59:00Z'))).toBe('0 s');
  });

  it('returns an empty string for unparseable dates', () => {
    expect(formatDuration('not a date', null, 0)).toBe('');
    expect(formatDuration(start, 'garbage', 0)).toBe('');
  });
});
