import { clampToFrame, displayToFrameLength, moveBox, resizeBox, type Box, type Handle, type Point } from './geometry';

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
 * Which arrows nudge the selected box: plain arrows ('plain'), or only with
 * Alt ('alt': plain arrows are left to the page, e.g. to seek).
 */
export type NudgeKey = 'plain' | 'alt';

/**
 * The canvas command for a key press, or null. Escape always counts; Delete,
 * Backspace and the arrows not with Ctrl / Cmd (the browser's and the page's
 * own shortcuts). The arrows nudge plain, or with `nudgeKey` 'alt' only with
 * Alt; Delete and Backspace never with Alt.
 */
export function canvasCommandForKey(event: CanvasKeyLike, nudgeKey: NudgeKey = 'plain'): CanvasKeyCommand | null {
  if (event.key === 'Escape' || event.key === 'Esc') {
    return { kind: 'escape' };
  }
  if (event.ctrlKey || event.metaKey) {
    return null;
  }
  if (event.key === 'Delete' || event.key === 'Backspace') {
    return event.altKey ? null : { kind: 'delete' };
  }
  const arrow = ARROWS[event.key];
  // Alt is the nudge modifier where asked for, else it leaves the arrows alone.
  if (arrow === undefined || event.altKey !== (nudgeKey === 'alt')) {
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

/** How far (display pixels) a press inside a box must travel before it moves or resizes it. */
export const DRAG_THRESHOLD = 3;

/** A pointer gesture on the canvas: drawing a new box, or moving or resizing one. */
export type Gesture =
  | { kind: 'draw'; pointerId: number; origin: Point; box: Box }
  | {
      kind: 'move' | 'resize';
      pointerId: number;
      key: string;
      handle: Handle;
      origin: Point;
      start: Box;
      box: Box;
      /** Past the drag threshold: a click that did not travel changes nothing. */
      active: boolean;
    };

/** The gesture after the pointer moved to `point` (frame pixels; the frame is `displayWidth` pixels wide on screen). */
export function advanceGesture(
  current: Gesture,
  point: Point,
  displayWidth: number,
  frameWidth: number,
  frameHeight: number,
): Gesture {
  if (current.kind === 'draw') {
    const box = clampToFrame(
      { x1: current.origin.x, y1: current.origin.y, x2: point.x, y2: point.y },
      frameWidth,
      frameHeight,
    );
    return { ...current, box };
  }
  const dx = point.x - current.origin.x;
  const dy = point.y - current.origin.y;
  let active = current.active;
  if (!active) {
    const threshold = displayToFrameLength(DRAG_THRESHOLD, frameWidth, displayWidth);
    active = Math.hypot(dx, dy) >= threshold;
    if (!active) {
      return current;
    }
  }
  const box =
    current.handle === 'inside'
      ? moveBox(current.start, dx, dy, frameWidth, frameHeight)
      : resizeBox(current.start, current.handle, point, frameWidth, frameHeight);
  return { ...current, active, box };
}
