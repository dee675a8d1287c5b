import { describe, expect, it } from 'vitest';
import { formatInterval, formatTime, parseSeconds, playableInterval, roundTenth, secondsToInput } from './format';

describe('formatTime', () => {
  it('formats mm:ss.s', () => {
    expect(formatTime(0)).toBe('00:00.0');
    expect(formatTime(5.25)).toBe('00:05.3');
    expect(formatTime(65.04)).toBe('01:05.0');
    expect(formatTime(600)).toBe('10:00.0');
  });

  it('carries a rounded tenth into the next second and minute', () => {
    expect(formatTime(59.96)).toBe('01:00.0');
    expect(formatTime(9.95)).toBe('00:10.0');
  });

  it('does not wrap minutes into hours', () => {
    expect(formatTime(4500)).toBe('75:00.0');
  });

  it('clamps negatives and marks non-finite values', () => {
    expect(formatTime(-3)).toBe('00:00.0');
    expect(formatTime(Number.NaN)).toBe('--:--.-');
    expect(formatTime(Number.POSITIVE_INFINITY)).toBe('--:--.-');
  });
});

describe('formatInterval', () => {
  it('joins the ends with an en dash', () => {
    expect(formatInterval(2, 4.5)).toBe('00:02.0 – 00:04.5');
    expect(formatInterval(61.2, 125)).toBe('01:01.2 – 02:05.0');
  });

  it('reads "whole video" without an interval', () => {
    expect(formatInterval(null, null)).toBe('whole video');
  });

  it('marks a missing end', () => {
    expect(formatInterval(3, null)).toBe('00:03.0 – ?');
  });
});

describe('playableInterval', () => {
  it('is the query interval when there is one', () => {
    expect(playableInterval(2, 4, 60)).toEqual({ start: 2, end: 4 });
  });

  it('is the whole video otherwise', () => {
    expect(playableInterval(null, null, 60)).toEqual({ start: 0, end: 60 });
    expect(playableInterval(null, null, null)).toEqual({ start: 0, end: Number.POSITIVE_INFINITY });
  });
});

describe('seconds inputs', () => {
  it('writes null as empty and trims float noise', () => {
    expect(secondsToInput(null)).toBe('');
    expect(secondsToInput(0.1 + 0.2)).toBe('0.3');
    expect(secondsToInput(12)).toBe('12');
  });

  it('parses seconds, decimal commas and blanks', () => {
    expect(parseSeconds('')).toBeNull();
    expect(parseSeconds('  ')).toBeNull();
    expect(parseSeconds('12.5')).toBe(12.5);
    expect(parseSeconds('12,5')).toBe(12.5);
    expect(parseSeconds('.5')).toBe(0.5);
    expect(parseSeconds('-1')).toBe(-1);
    expect(parseSeconds('1e3')).toBeNaN();
    expect(parseSeconds('abc')).toBeNaN();
  });

  it('rounds to a tenth', () => {
    expect(roundTenth(12.34)).toBe(12.3);
    expect(roundTenth(12.35)).toBe(12.4);
  });
});
