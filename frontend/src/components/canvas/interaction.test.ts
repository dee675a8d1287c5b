import { describe, expect, it } from 'vitest';
import { advanceGesture, canvasCommandForKey, cursorFor, DRAG_THRESHOLD, type CanvasKeyLike, type Gesture } from './interaction';

const key = (k: string, mods: Partial<CanvasKeyLike> = {}): CanvasKeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('canvasCommandForKey', () => {
  it('maps Delete and Backspace to delete', () => {
    expect(canvasCommandForKey(key('Delete'))).toEqual({ kind: 'delete' });
    expect(canvasCommandForKey(key('Backspace'))).toEqual({ kind: 'delete' });
  });

  it('maps arrows to 1 px nudges, 10 px with Shift', () => {
    expect(canvasCommandForKey(key('ArrowLeft'))).toEqual({ kind: 'nudge', dx: -1, dy: 0 });
    expect(canvasCommandForKey(key('ArrowRight'))).toEqual({ kind: 'nudge', dx: 1, dy: 0 });
    expect(canvasCommandForKey(key('ArrowUp'))).toEqual({ kind: 'nudge', dx: 0, dy: -1 });
    expect(canvasCommandForKey(key('ArrowDown'))).toEqual({ kind: 'nudge', dx: 0, dy: 1 });
    expect(canvasCommandForKey(key('ArrowLeft', { shiftKey: true }))).toEqual({ kind: 'nudge', dx: -10, dy: 0 });
    expect(canvasCommandForKey(key('ArrowDown', { shiftKey: true }))).toEqual({ kind: 'nudge', dx: 0, dy: 10 });
  });

  it('with the Alt nudge key, plain arrows are left to the page and Alt+arrows nudge', () => {
    expect(canvasCommandForKey(key('ArrowRight'), 'alt')).toBeNull();
    expect(canvasCommandForKey(key('ArrowRight', { shiftKey: true }), 'alt')).toBeNull();
    expect(canvasCommandForKey(key('ArrowRight', { altKey: true }), 'alt')).toEqual({ kind: 'nudge', dx: 1, dy: 0 });
    expect(canvasCommandForKey(key('ArrowDown', { altKey: true, shiftKey: true }), 'alt')).toEqual({ kind: 'nudge', dx: 0, dy: 10 });
    expect(canvasCommandForKey(key('Delete'), 'alt')).toEqual({ kind: 'delete' });
    // Plain mode (the default) leaves Alt+arrows alone.
    expect(canvasCommandForKey(key('ArrowRight', { altKey: true }))).toBeNull();
  });

  it('maps Escape to escape, even with modifiers', () => {
    expect(canvasCommandForKey(key('Escape'))).toEqual({ kind: 'escape' });
    expect(canvasCommandForKey(key('Esc', { ctrlKey: true }))).toEqual({ kind: 'escape' });
  });

  it('leaves other keys and browser shortcuts alone', () => {
    expect(canvasCommandForKey(key('a'))).toBeNull();
    expect(canvasCommandForKey(key('Enter'))).toBeNull();
    expect(canvasCommandForKey(key('ArrowLeft', { ctrlKey: true }))).toBeNull();
    expect(canvasCommandForKey(key('ArrowLeft', { metaKey: true }))).toBeNull();
    expect(canvasCommandForKey(key('Backspace', { altKey: true }))).toBeNull();
  });
});

describe('cursorFor', () => {
  it('hints at each handle', () => {
    expect(cursorFor(null, false)).toBe('crosshair');
    expect(cursorFor('inside', false)).toBe('move');
    expect(cursorFor('n', false)).toBe('ns-resize');
    expect(cursorFor('s', false)).toBe('ns-resize');
    expect(cursorFor('e', false)).toBe('ew-resize');
    expect(cursorFor('w', false)).toBe('ew-resize');
    expect(cursorFor('ne', false)).toBe('nesw-resize');
    expect(cursorFor('sw', false)).toBe('nesw-resize');
    expect(cursorFor('nw', false)).toBe('nwse-resize');
    expect(cursorFor('se', false)).toBe('nwse-resize');
  });

  it('offers only selection when disabled', () => {
    expect(cursorFor(null, true)).toBe('default');
    expect(cursorFor('inside', true)).toBe('pointer');
    expect(cursorFor('se', true)).toBe('pointer');
  });
});

describe('advanceGesture', () => {
  const box = { x1: 100, y1: 100, x2: 200, y2: 200 };
  const move: Gesture = { kind: 'move', pointerId: 1, key: 'a', handle: 'inside', origin: { x: 150, y: 150 }, start: box, box, active: false };

  it('draws from the origin to the pointer, normalized and inside the frame', () => {
    const draw: Gesture = { kind: 'draw', pointerId: 1, origin: { x: 10, y: 10 }, box: { x1: 10, y1: 10, x2: 10, y2: 10 } };
    expect(advanceGesture(draw, { x: 700, y: -20 }, 640, 640, 360).box).toEqual({ x1: 10, y1: 0, x2: 640, y2: 10 });
  });

  it('moves a box only once the pointer has travelled past the threshold', () => {
    // The frame is shown at its own size: one display pixel is one frame pixel.
    expect(advanceGesture(move, { x: 150 + DRAG_THRESHOLD - 1, y: 150 }, 640, 640, 360)).toBe(move);
    const moved = advanceGesture(move, { x: 160, y: 170 }, 640, 640, 360);
    expect(moved).toMatchObject({ active: true, box: { x1: 110, y1: 120, x2: 210, y2: 220 } });
  });

  it('resizes from a handle', () => {
    const resize: Gesture = { ...move, kind: 'resize', handle: 'se', active: true };
    expect(advanceGesture(resize, { x: 250, y: 260 }, 640, 640, 360).box).toMatchObject({ x1: 100, y1: 100, x2: 250, y2: 260 });
  });
});
