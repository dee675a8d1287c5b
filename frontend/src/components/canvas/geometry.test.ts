import { describe, expect, it } from 'vitest';
import {
  clampPoint,
  clampToFrame,
  clientToFrame,
  displayToFrameLength,
  handlePoint,
  hitTest,
  isValidBox,
  MIN_SIZE,
  moveBox,
  normalize,
  nudge,
  RESIZE_HANDLES,
  resizeBox,
  round1,
  roundBox,
  sameBox,
  scaleToDisplay,
  scaleToFrame,
  type Box,
  type KeyedBox,
  type ResizeHandle,
} from './geometry';

const W = 1280;
const H = 720;
const box = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });
const keyed = (key: string, x1: number, y1: number, x2: number, y2: number): KeyedBox => ({ key, x1, y1, x2, y2 });

describe('round1 / roundBox', () => {
  it('rounds to 0.1 px', () => {
    expect(round1(12.34)).toBe(12.3);
    expect(round1(12.36)).toBe(12.4);
    expect(round1(0.04)).toBe(0);
    expect(round1(100)).toBe(100);
    expect(round1(0.1 + 0.2)).toBe(0.3);
  });

  it('never gives -0', () => {
    expect(Object.is(round1(-0.01), 0)).toBe(true);
    expect(Object.is(round1(-0), 0)).toBe(true);
  });

  it('rounds every coordinate of a box', () => {
    expect(roundBox(box(1.26, 2.04, 3.99, 4.151))).toEqual(box(1.3, 2, 4, 4.2));
  });
});

describe('normalize', () => {
  it('leaves an ordered box alone', () => {
    expect(normalize(box(1, 2, 3, 4))).toEqual(box(1, 2, 3, 4));
  });

  it('swaps inverted corners on each axis', () => {
    expect(normalize(box(30, 40, 10, 20))).toEqual(box(10, 20, 30, 40));
    expect(normalize(box(30, 20, 10, 40))).toEqual(box(10, 20, 30, 40));
    expect(normalize(box(10, 40, 30, 20))).toEqual(box(10, 20, 30, 40));
  });
});

describe('clampPoint / clampToFrame', () => {
  it('clamps a point to the frame', () => {
    expect(clampPoint({ x: -5, y: 800 }, W, H)).toEqual({ x: 0, y: 720 });
    expect(clampPoint({ x: 50, y: 60 }, W, H)).toEqual({ x: 50, y: 60 });
  });

  it('normalizes, cuts to the frame and rounds', () => {
    expect(clampToFrame(box(1300, -10, 1200.04, 100.06), W, H)).toEqual(box(1200, 0, 1280, 100.1));
    expect(clampToFrame(box(10, 20, 30, 40), W, H)).toEqual(box(10, 20, 30, 40));
  });

  it('collapses a box wholly outside onto the edge', () => {
    const b = clampToFrame(box(1300, 10, 1400, 20), W, H);
    expect(b).toEqual(box(1280, 10, 1280, 20));
    expect(isValidBox(b, W, H)).toBe(false);
  });
});

describe('isValidBox', () => {
  it('accepts boxes inside the frame at least MIN_SIZE in size', () => {
    expect(MIN_SIZE).toBe(2);
    expect(isValidBox(box(0, 0, W, H), W, H)).toBe(true);
    expect(isValidBox(box(10, 10, 12, 12), W, H)).toBe(true);
    expect(isValidBox(box(0.1, 0.2, 2.1, 2.2), W, H)).toBe(true);
  });

  it('rejects small, inverted, outside or non-finite boxes', () => {
    expect(isValidBox(box(10, 10, 11.9, 50), W, H)).toBe(false);
    expect(isValidBox(box(10, 10, 50, 11.9), W, H)).toBe(false);
    expect(isValidBox(box(50, 10, 10, 50), W, H)).toBe(false);
    expect(isValidBox(box(-1, 10, 50, 50), W, H)).toBe(false);
    expect(isValidBox(box(10, -1, 50, 50), W, H)).toBe(false);
    expect(isValidBox(box(10, 10, 1281, 50), W, H)).toBe(false);
    expect(isValidBox(box(10, 10, 50, 721), W, H)).toBe(false);
    expect(isValidBox(box(Number.NaN, 10, 50, 50), W, H)).toBe(false);
    expect(isValidBox(box(10, 10, Number.POSITIVE_INFINITY, 50), W, H)).toBe(false);
  });
});

describe('scaling', () => {
  it('scales points and boxes to the display and back', () => {
    expect(scaleToDisplay({ x: 640, y: 360 }, W, H, 640, 360)).toEqual({ x: 320, y: 180 });
    expect(scaleToDisplay(box(100, 50, 200, 150), W, H, 640, 360)).toEqual(box(50, 25, 100, 75));
    expect(scaleToFrame({ x: 320, y: 180 }, W, H, 640, 360)).toEqual({ x: 640, y: 360 });
    expect(scaleToFrame(box(50, 25, 100, 75), W, H, 640, 360)).toEqual(box(100, 50, 200, 150));
  });

  it('scales each axis on its own', () => {
    expect(scaleToFrame({ x: 10, y: 10 }, W, H, 640, 720)).toEqual({ x: 20, y: 10 });
  });

  it('is the identity without a layout (zero sizes)', () => {
    expect(scaleToFrame({ x: 10, y: 20 }, W, H, 0, 0)).toEqual({ x: 10, y: 20 });
    expect(scaleToDisplay({ x: 10, y: 20 }, 0, 0, 640, 360)).toEqual({ x: 10, y: 20 });
  });

  it('converts display lengths to frame lengths', () => {
    expect(displayToFrameLength(6, W, 640)).toBe(12);
    expect(displayToFrameLength(6, W, 0)).toBe(6);
  });
});

describe('clientToFrame', () => {
  const rect = { left: 10, top: 20, width: 640, height: 360 };

  it('takes off the offset and scales to frame pixels', () => {
    expect(clientToFrame(10, 20, rect, W, H)).toEqual({ x: 0, y: 0 });
    expect(clientToFrame(650, 380, rect, W, H)).toEqual({ x: 1280, y: 720 });
    expect(clientToFrame(60, 45, rect, W, H)).toEqual({ x: 100, y: 50 });
  });

  it('does not clamp a pointer outside the frame', () => {
    expect(clientToFrame(0, 400, rect, W, H)).toEqual({ x: -20, y: 760 });
  });
});

describe('hitTest', () => {
  const big = keyed('big', 100, 100, 500, 400);
  const small = keyed('small', 200, 200, 300, 300);

  it('finds nothing on empty space', () => {
    expect(hitTest([big], { x: 50, y: 50 }, 5)).toBeNull();
    expect(hitTest([], { x: 50, y: 50 }, 5)).toBeNull();
  });

  it('finds the inside of a box', () => {
    expect(hitTest([big], { x: 300, y: 150 }, 5)).toEqual({ key: 'big', handle: 'inside' });
  });

  it('finds every edge and corner handle, within the tolerance on either side', () => {
    const cases: [number, number, string][] = [
      [300, 97, 'n'],
      [300, 103, 'n'],
      [300, 404, 's'],
      [504, 250, 'e'],
      [96, 250, 'w'],
      [98, 98, 'nw'],
      [502, 98, 'ne'],
      [98, 402, 'sw'],
      [503, 403, 'se'],
    ];
    for (const [x, y, handle] of cases) {
      expect(hitTest([big], { x, y }, 5), `${x},${y}`).toEqual({ key: 'big', handle });
    }
  });

  it('misses beyond the tolerance', () => {
    expect(hitTest([big], { x: 300, y: 94 }, 5)).toBeNull();
    expect(hitTest([big], { x: 94, y: 94 }, 5)).toBeNull();
  });

  it('the smallest box wins when nested', () => {
    expect(hitTest([big, small], { x: 250, y: 250 }, 5)).toEqual({ key: 'small', handle: 'inside' });
    expect(hitTest([small, big], { x: 250, y: 250 }, 5)).toEqual({ key: 'small', handle: 'inside' });
  });

  it('handles take priority over the inside of another box', () => {
    // The left edge of the small box lies inside the big one.
    expect(hitTest([big, small], { x: 201, y: 250 }, 5)).toEqual({ key: 'small', handle: 'w' });
    // A small box's edge wins over a big box's edge at the same place.
    const edgeHugger = keyed('hug', 100, 150, 150, 200);
    expect(hitTest([big, edgeHugger], { x: 120, y: 150.5 }, 1)).toEqual({ key: 'hug', handle: 'n' });
    expect(hitTest([big, edgeHugger], { x: 102, y: 175 }, 3)).toEqual({ key: 'hug', handle: 'w' });
    // The selected big box's edge wins over the inside of a smaller box reaching it.
    const inner = keyed('inner', 102, 110, 200, 200);
    expect(hitTest([big, inner], { x: 104, y: 150 }, 5, 'big')).toEqual({ key: 'big', handle: 'w' });
  });

  it('equal boxes: the last (drawn on top) wins', () => {
    const a = keyed('a', 10, 10, 50, 50);
    const b = keyed('b', 10, 10, 50, 50);
    expect(hitTest([a, b], { x: 30, y: 30 }, 2)?.key).toBe('b');
  });

  it('limits handles to one box when asked', () => {
    expect(hitTest([big], { x: 300, y: 101 }, 5, 'big')).toEqual({ key: 'big', handle: 'n' });
    expect(hitTest([big], { x: 300, y: 101 }, 5, 'other')).toEqual({ key: 'big', handle: 'inside' });
    expect(hitTest([big], { x: 300, y: 101 }, 5, null)).toEqual({ key: 'big', handle: 'inside' });
    // Outside the box with no handles: nothing.
    expect(hitTest([big], { x: 300, y: 98 }, 5, null)).toBeNull();
  });

  it('keeps a middle to grab in a box smaller than the tolerance', () => {
    const tiny = keyed('tiny', 100, 100, 106, 106);
    expect(hitTest([tiny], { x: 103, y: 103 }, 5)).toEqual({ key: 'tiny', handle: 'inside' });
    expect(hitTest([tiny], { x: 100.5, y: 103 }, 5)).toEqual({ key: 'tiny', handle: 'w' });
    expect(hitTest([tiny], { x: 105.5, y: 105.5 }, 5)).toEqual({ key: 'tiny', handle: 'se' });
  });

  it('works on inverted boxes', () => {
    expect(hitTest([keyed('inv', 500, 400, 100, 100)], { x: 300, y: 250 }, 5)).toEqual({
      key: 'inv',
      handle: 'inside',
    });
  });
});

describe('moveBox / nudge', () => {
  const b = box(100, 100, 200, 150);

  it('moves by the delta, keeping the size', () => {
    expect(moveBox(b, 10, -20, W, H)).toEqual(box(110, 80, 210, 130));
  });

  it('stops at each edge of the frame', () => {
    expect(moveBox(b, -500, 0, W, H)).toEqual(box(0, 100, 100, 150));
    expect(moveBox(b, 5000, 0, W, H)).toEqual(box(1180, 100, 1280, 150));
    expect(moveBox(b, 0, -500, W, H)).toEqual(box(100, 0, 200, 50));
    expect(moveBox(b, 0, 5000, W, H)).toEqual(box(100, 670, 200, 720));
    expect(moveBox(b, 5000, 5000, W, H)).toEqual(box(1180, 670, 1280, 720));
  });

  it('rounds to 0.1 px', () => {
    expect(moveBox(b, 0.333, 0.666, W, H)).toEqual(box(100.3, 100.7, 200.3, 150.7));
  });

  it('fits a box larger than the frame into it', () => {
    expect(moveBox(box(-10, -10, 2000, 1000), 3, 3, W, H)).toEqual(box(0, 0, W, H));
  });

  it('nudges like a move', () => {
    expect(nudge(b, 1, 0, W, H)).toEqual(box(101, 100, 201, 150));
    expect(nudge(b, 0, -10, W, H)).toEqual(box(100, 90, 200, 140));
    expect(nudge(box(0, 0, 10, 10), -1, -1, W, H)).toEqual(box(0, 0, 10, 10));
  });
});

describe('resizeBox', () => {
  const b = box(100, 100, 200, 200);
  const to = { x: 50, y: 250 };

  it('moves only the edges each handle names', () => {
    // (50, 250) lies left of and below the box: the east and north edges stop MIN_SIZE short.
    const expected: Record<ResizeHandle, Box> = {
      n: box(100, 198, 200, 200),
      s: box(100, 100, 200, 250),
      e: box(100, 100, 102, 200),
      w: box(50, 100, 200, 200),
      ne: box(100, 198, 102, 200),
      nw: box(50, 198, 200, 200),
      se: box(100, 100, 102, 250),
      sw: box(50, 100, 200, 250),
    };
    for (const handle of RESIZE_HANDLES) {
      expect(resizeBox(b, handle, to, W, H), handle).toEqual(expected[handle]);
    }
  });

  it('grows each way', () => {
    expect(resizeBox(b, 'n', { x: 0, y: 40 }, W, H)).toEqual(box(100, 40, 200, 200));
    expect(resizeBox(b, 's', { x: 0, y: 300 }, W, H)).toEqual(box(100, 100, 200, 300));
    expect(resizeBox(b, 'e', { x: 300, y: 0 }, W, H)).toEqual(box(100, 100, 300, 200));
    expect(resizeBox(b, 'w', { x: 20, y: 0 }, W, H)).toEqual(box(20, 100, 200, 200));
    expect(resizeBox(b, 'ne', { x: 300, y: 40 }, W, H)).toEqual(box(100, 40, 300, 200));
    expect(resizeBox(b, 'nw', { x: 20, y: 40 }, W, H)).toEqual(box(20, 40, 200, 200));
    expect(resizeBox(b, 'se', { x: 300, y: 300 }, W, H)).toEqual(box(100, 100, 300, 300));
    expect(resizeBox(b, 'sw', { x: 20, y: 300 }, W, H)).toEqual(box(20, 100, 200, 300));
  });

  it('never inverts or shrinks below MIN_SIZE', () => {
    for (const handle of RESIZE_HANDLES) {
      for (const p of [
        { x: 150, y: 150 },
        { x: 0, y: 0 },
        { x: 1280, y: 720 },
        { x: 199.5, y: 100.5 },
      ]) {
        const r = resizeBox(b, handle, p, W, H);
        expect(isValidBox(r, W, H), `${handle} ${p.x},${p.y}`).toBe(true);
        expect(r.x2 - r.x1).toBeGreaterThanOrEqual(MIN_SIZE);
        expect(r.y2 - r.y1).toBeGreaterThanOrEqual(MIN_SIZE);
      }
    }
  });

  it('is clamped to the frame', () => {
    expect(resizeBox(b, 'nw', { x: -50, y: -50 }, W, H)).toEqual(box(0, 0, 200, 200));
    expect(resizeBox(b, 'se', { x: 5000, y: 5000 }, W, H)).toEqual(box(100, 100, W, H));
  });

  it('rounds to 0.1 px', () => {
    expect(resizeBox(b, 'se', { x: 250.04, y: 250.06 }, W, H)).toEqual(box(100, 100, 250, 250.1));
  });
});

describe('handlePoint / sameBox', () => {
  it('places each handle on the box', () => {
    const b = box(10, 20, 30, 60);
    expect(handlePoint(b, 'nw')).toEqual({ x: 10, y: 20 });
    expect(handlePoint(b, 'n')).toEqual({ x: 20, y: 20 });
    expect(handlePoint(b, 'ne')).toEqual({ x: 30, y: 20 });
    expect(handlePoint(b, 'e')).toEqual({ x: 30, y: 40 });
    expect(handlePoint(b, 'se')).toEqual({ x: 30, y: 60 });
    expect(handlePoint(b, 's')).toEqual({ x: 20, y: 60 });
    expect(handlePoint(b, 'sw')).toEqual({ x: 10, y: 60 });
    expect(handlePoint(b, 'w')).toEqual({ x: 10, y: 40 });
  });

  it('compares boxes by coordinates', () => {
    expect(sameBox(box(1, 2, 3, 4), { x1: 1, y1: 2, x2: 3, y2: 4 })).toBe(true);
    expect(sameBox(box(1, 2, 3, 4), box(1, 2, 3, 5))).toBe(false);
  });
});
