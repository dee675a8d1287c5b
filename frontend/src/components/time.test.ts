import { describe, expect, it } from 'vitest';
import { clampMs, clampTime, formatInterval, formatTime, frameAt, frameUrl, parseGoTo, roundMs, stepFrame, timeOfFrame } from './time';

describe('frames', () => {
  it('gives the frame shown at a time, clamped to the video', () => {
    expect(frameAt(0, 25, 1500)).toBe(0);
    expect(frameAt(12.345, 25, 1500)).toBe(308);
    expect(frameAt(-1, 25, 1500)).toBe(0);
    expect(frameAt(999, 25, 1500)).toBe(1499);
    expect(frameAt(Number.NaN, 25, 1500)).toBe(0);
    expect(frameAt(3, 0, 1500)).toBe(0);
  });

  it('absorbs float error on frame boundaries', () => {
    // 0.1 * 30 is 3.0000000000000004 but 0.7 * 30 is 20.999999999999996.
    expect(frameAt(0.7, 30, 1000)).toBe(21);
    // i / fps stored as a float lands on frame i for every frame.
    for (const fps of [23.976, 25, 29.97, 30, 59.94]) {
      for (let i = 0; i < 3000; i += 7) {
        expect(frameAt(i / fps, fps, 10_000)).toBe(i);
      }
    }
  });

  it('seeks to the middle of a frame, which maps back to it', () => {
    expect(timeOfFrame(0, 25)).toBe(0.02);
    expect(timeOfFrame(308, 25)).toBeCloseTo(12.34, 10);
    for (let i = 0; i < 2000; i += 13) {
      expect(frameAt(timeOfFrame(i, 29.97), 29.97, 5000)).toBe(i);
    }
    expect(timeOfFrame(5, 0)).toBe(0);
  });

  it('steps by frames from the one shown, within the video', () => {
    expect(stepFrame(0, 1, 25, 1500)).toBe(0.06);
    expect(stepFrame(0.06, 1, 25, 1500)).toBe(0.1);
    expect(stepFrame(0.06, -1, 25, 1500)).toBe(0.02);
    expect(stepFrame(0.02, -1, 25, 1500)).toBe(0.02);
    expect(frameAt(stepFrame(59.99, 1, 25, 1500), 25, 1500)).toBe(1499);
    // From a time between frame starts (after a seek by seconds).
    expect(frameAt(stepFrame(12.345, 1, 25, 1500), 25, 1500)).toBe(309);
  });

  it('fills the frame URL template', () => {
    expect(frameUrl('/api/v1/videos/5/frames/{index}.jpg', 308)).toBe('/api/v1/videos/5/frames/308.jpg');
  });
});

describe('times', () => {
  it('formats minutes and milliseconds, hours from one hour on', () => {
    expect(formatTime(0)).toBe('00:00.000');
    expect(formatTime(12.345)).toBe('00:12.345');
    expect(formatTime(75.5)).toBe('01:15.500');
    expect(formatTime(3599.9996)).toBe('01:00:00.000');
    expect(formatTime(3723.004)).toBe('01:02:03.004');
    expect(formatTime(-3)).toBe('00:00.000');
    expect(formatTime(Number.POSITIVE_INFINITY)).toBe('--:--.---');
    expect(formatInterval(1, 2.5)).toBe('00:01.000 – 00:02.500');
  });

  it('rounds to milliseconds and clamps to the video', () => {
    expect(roundMs(1.23456)).toBe(1.235);
    expect(Object.is(roundMs(-0.0001), 0)).toBe(true);
    expect(clampTime(-2, 60)).toBe(0);
    expect(clampTime(61, 60)).toBe(60);
    expect(clampTime(61, 0)).toBe(61);
  });
});

describe('clampMs', () => {
  it('rounds to ms inside [0, duration floored to ms]', () => {
    expect(clampMs(-0.2, 10)).toBe(0);
    expect(clampMs(3.21049, 10)).toBe(3.21);
    expect(clampMs(12, 10)).toBe(10);
    // Rounding up would land past the end.
    expect(clampMs(10.0339, 10.0336)).toBe(10.033);
    expect(clampMs(10.0334, 10.0336)).toBe(10.033);
    expect(clampMs(7.5, 0)).toBe(7.5);
  });
});

describe('parseGoTo', () => {
  it('reads seconds, m:ss and h:mm:ss as times', () => {
    expect(parseGoTo('12.5', 1500, 60)).toEqual({ kind: 'time', time: 12.5 });
    expect(parseGoTo(' 1:02.3 ', 1500, 3600)).toEqual({ kind: 'time', time: 62.3 });
    expect(parseGoTo('0:00:05', 1500, 60)).toEqual({ kind: 'time', time: 5 });
    expect(parseGoTo('.5', 1500, 60)).toEqual({ kind: 'time', time: 0.5 });
  });

  it('reads f312 and "frame 312" as frame indices', () => {
    expect(parseGoTo('f312', 1500, 60)).toEqual({ kind: 'frame', frame: 312 });
    expect(parseGoTo('frame 312', 1500, 60)).toEqual({ kind: 'frame', frame: 312 });
    expect(parseGoTo('F 0', 1500, 60)).toEqual({ kind: 'frame', frame: 0 });
  });

  it('says why bad input goes nowhere', () => {
    expect(parseGoTo('', 1500, 60)).toMatchObject({ kind: 'error', message: expect.stringContaining('Nothing to go to') });
    expect(parseGoTo('abc', 1500, 60)).toMatchObject({ kind: 'error', message: expect.stringContaining('is not a time or a frame') });
    expect(parseGoTo('1:75', 1500, 600)).toMatchObject({ kind: 'error', message: expect.stringContaining('under 60') });
    expect(parseGoTo('61', 1500, 60)).toMatchObject({ kind: 'error', message: expect.stringContaining('past the end') });
    expect(parseGoTo('f1500', 1500, 60)).toMatchObject({ kind: 'error', message: 'No frame 1500: the frames are 0–1499' });
    expect(parseGoTo('f1.5', 1500, 60)).toMatchObject({ kind: 'error', message: expect.stringContaining('whole number') });
    expect(parseGoTo('-3', 1500, 60)).toMatchObject({ kind: 'error' });
  });
});
