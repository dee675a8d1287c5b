import type { Handle } from './geometry';

export type CanvasKeyCommand =
  | { kind: 'delete' }
  | { kind: 'nudge'; dx: number; dy: number }
  | { kind: 'escape' };

/** The parts of a KeyboardEvent the mapping looks at. */
export interface CanvasKeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Pixels an arrow key moves a box; with Shift, the large step. */
export const NUDGE_STEP = 1;
export const NUDGE_STEP_LARGE = 10;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The canvas command for a key press, or null. Escape always counts; Delete,
 * Backspace and the arrows not with Ctrl / Cmd / Alt (the browser's and the
 * page's own shortcuts).
 */
export function canvasCommandForKey(event: CanvasKeyLike): CanvasKeyCommand | null {
  if (event.key === 'Escape' || event.key === 'Esc') {
    return { kind: 'escape' };
  }
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return null;
  }
  if (event.key === 'Delete' || event.key === 'Backspace') {
    return { kind: 'delete' };
  }
  const arrow = ARROWS[event.key];
  if (arrow === undefined) {
    return null;
  }
  const step = event.shiftKey ? NUDGE_STEP_LARGE : NUDGE_STEP;
  // `+ 0` turns -0 into 0.
  return { kind: 'nudge', dx: arrow[0] * step + 0, dy: arrow[1] * step + 0 };
}

/** The CSS cursor over a part of a box (null: empty space); `disabled` allows selecting only. */
export function cursorFor(handle: Handle | null, disabled: boolean): string {
  if (handle === null) {
    return disabled ? 'default' : 'crosshair';
  }
  if (disabled) {
    return 'pointer';
  }
  switch (handle) {
    case 'inside':
      return 'move';
    case 'n':
    case 's':
      return 'ns-resize';
    case 'e':
    case 'w':
      return 'ew-resize';
    case 'ne':
    case 'sw':
      return 'nesw-resize';
    case 'nw':
    case 'se':
      return 'nwse-resize';
  }
}
