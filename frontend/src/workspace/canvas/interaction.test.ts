import { describe, expect, it } from 'vitest';
import { canvasCommandForKey, cursorFor, type CanvasKeyLike } from './interaction';

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
