import { describe, expect, it } from 'vitest';
import { formatPosition, frameIndexAt } from './position';

describe('frameIndexAt', () => {
  it('floors time times fps', () => {
    expect(frameIndexAt(1.0, 25, 1000)).toBe(25);
    expect(frameIndexAt(1.039, 25, 1000)).toBe(25);
    expect(frameIndexAt(1.04, 25, 1000)).toBe(26);
  });
  it('handles 29.97 fps at the mid-frame time (i + 0.5) / fps', () => {
    const fps = 30000 / 1001;
    for (const i of [0, 1, 999, 12345]) expect(frameIndexAt((i + 0.5) / fps, fps, 20000)).toBe(i);
  });
  it('clamps to the video', () => {
    expect(frameIndexAt(-1, 25, 100)).toBe(0);
    expect(frameIndexAt(99, 25, 100)).toBe(99);
    expect(frameIndexAt(Number.NaN, 25, 100)).toBe(0);
  });
  it('formats', () => {
    expect(formatPosition(12.3456, 308)).toBe('12.346 s · frame 308');
  });
});
