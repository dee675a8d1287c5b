/**
 * Pure geometry of the box canvas. Boxes are in the proxy's pixels (the frame's
 * own coordinates, e.g. 0..1280 x 0..720); "display" pixels are CSS pixels of
 * the element the frame is drawn in.
 */

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface KeyedBox extends Box {
  key: string;
}

export type ResizeHandle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export type Handle = 'inside' | ResizeHandle;

export interface Hit {
  key: string;
  handle: Handle;
}

/** The parts of a DOMRect the conversions read. */
export interface RectLike {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest width and height of a box, in frame pixels. */
export const MIN_SIZE = 2;

/** Allowance for floating-point error in comparisons (frame pixels). */
const EPSILON = 1e-6;

export const RESIZE_HANDLES: readonly ResizeHandle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** Rounds to 0.1 px, the precision coordinates are stored with (never -0). */
export function round1(value: number): number {
  const rounded = Math.round(value * 10) / 10;
  return rounded === 0 ? 0 : rounded;
}

export function roundBox(box: Box): Box {
  return { x1: round1(box.x1), y1: round1(box.y1), x2: round1(box.x2), y2: round1(box.y2) };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The same rectangle with x1 <= x2 and y1 <= y2. */
export function normalize(box: Box): Box {
  return {
    x1: Math.min(box.x1, box.x2),
    y1: Math.min(box.y1, box.y2),
    x2: Math.max(box.x1, box.x2),
    y2: Math.max(box.y1, box.y2),
  };
}

export function clampPoint(point: Point, width: number, height: number): Point {
  return { x: clamp(point.x, 0, width), y: clamp(point.y, 0, height) };
}

/** Normalized, cut to the frame and rounded; a box wholly outside collapses onto the edge. */
export function clampToFrame(box: Box, width: number, height: number): Box {
  const n = normalize(box);
  return roundBox({
    x1: clamp(n.x1, 0, width),
    y1: clamp(n.y1, 0, height),
    x2: clamp(n.x2, 0, width),
    y2: clamp(n.y2, 0, height),
  });
}

/** Finite, not inverted, at least MIN_SIZE wide and high, and inside the frame. */
export function isValidBox(box: Box, width: number, height: number): boolean {
  const { x1, y1, x2, y2 } = box;
  if (![x1, y1, x2, y2].every(Number.isFinite)) {
    return false;
  }
  return (
    x2 - x1 >= MIN_SIZE - EPSILON &&
    y2 - y1 >= MIN_SIZE - EPSILON &&
    x1 >= -EPSILON &&
    y1 >= -EPSILON &&
    x2 <= width + EPSILON &&
    y2 <= height + EPSILON
  );
}

export function sameBox(a: Box, b: Box): boolean {
  return a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;
}

/** to / from, or 1 where either length is not positive (no layout yet). */
function ratio(to: number, from: number): number {
  return to > 0 && from > 0 ? to / from : 1;
}

function isBox(value: Point | Box): value is Box {
  return 'x1' in value;
}

function scale<T extends Point | Box>(value: T, sx: number, sy: number): T {
  if (isBox(value)) {
    return { x1: value.x1 * sx, y1: value.y1 * sy, x2: value.x2 * sx, y2: value.y2 * sy } as T;
  }
  return { x: value.x * sx, y: value.y * sy } as T;
}

/** Frame pixels to display pixels. */
export function scaleToDisplay<T extends Point | Box>(
  value: T,
  frameWidth: number,
  frameHeight: number,
  displayWidth: number,
  displayHeight: number,
): T {
  return scale(value, ratio(displayWidth, frameWidth), ratio(displayHeight, frameHeight));
}

/** Display pixels to frame pixels. */
export function scaleToFrame<T extends Point | Box>(
  value: T,
  frameWidth: number,
  frameHeight: number,
  displayWidth: number,
  displayHeight: number,
): T {
  return scale(value, ratio(frameWidth, displayWidth), ratio(frameHeight, displayHeight));
}

/** A length of `pixels` display pixels, in frame pixels (horizontal scale). */
export function displayToFrameLength(pixels: number, frameWidth: number, displayWidth: number): number {
  return pixels * ratio(frameWidth, displayWidth);
}

/**
 * A pointer's client coordinates in frame pixels, given the displayed frame's
 * bounding rectangle. Not clamped: a pointer outside the frame gives a point outside.
 */
export function clientToFrame(
  clientX: number,
  clientY: number,
  rect: RectLike,
  frameWidth: number,
  frameHeight: number,
): Point {
  return scaleToFrame(
    { x: clientX - rect.left, y: clientY - rect.top },
    frameWidth,
    frameHeight,
    rect.width,
    rect.height,
  );
}

/**
 * The part of a (normalized) box under `point`: a resize handle when within
 * `tolerance` of an edge (corners where two edges meet), 'inside' within the
 * box, null elsewhere. Inwards the edge zones take at most a third of the box,
 * so even a small box keeps a middle to grab.
 */
function handleAt(box: Box, point: Point, tolerance: number, withHandles: boolean): Handle | null {
  const { x, y } = point;
  if (withHandles && tolerance > 0) {
    const inX = Math.min(tolerance, (box.x2 - box.x1) / 3);
    const inY = Math.min(tolerance, (box.y2 - box.y1) / 3);
    const near =
      x >= box.x1 - tolerance && x <= box.x2 + tolerance && y >= box.y1 - tolerance && y <= box.y2 + tolerance;
    if (near) {
      const west = x <= box.x1 + inX;
      const east = x >= box.x2 - inX;
      const north = y <= box.y1 + inY;
      const south = y >= box.y2 - inY;
      let vertical = north ? 'n' : south ? 's' : '';
      if (north && south) {
        vertical = Math.abs(y - box.y1) <= Math.abs(y - box.y2) ? 'n' : 's';
      }
      let horizontal = west ? 'w' : east ? 'e' : '';
      if (west && east) {
        horizontal = Math.abs(x - box.x1) <= Math.abs(x - box.x2) ? 'w' : 'e';
      }
      if (vertical !== '' || horizontal !== '') {
        return (vertical + horizontal) as ResizeHandle;
      }
    }
  }
  if (x >= box.x1 && x <= box.x2 && y >= box.y1 && y <= box.y2) {
    return 'inside';
  }
  return null;
}

/**
 * What is under `point` (frame pixels). Resize handles take priority over
 * insides; among equals the smallest box wins (nested boxes), and among equal
 * sizes the last one (drawn on top). `handlesFor` limits the handles to one
 * box (e.g. the selected one; null: none); left out, every box has them.
 */
export function hitTest(
  boxes: readonly KeyedBox[],
  point: Point,
  tolerancePx: number,
  handlesFor?: string | null,
): Hit | null {
  let best: { hit: Hit; rank: number; area: number } | null = null;
  for (const raw of boxes) {
    const box = normalize(raw);
    const withHandles = handlesFor === undefined || handlesFor === raw.key;
    const handle = handleAt(box, point, tolerancePx, withHandles);
    if (handle === null) {
      continue;
    }
    const rank = handle === 'inside' ? 1 : 0;
    const area = (box.x2 - box.x1) * (box.y2 - box.y1);
    if (best === null || rank < best.rank || (rank === best.rank && area <= best.area)) {
      best = { hit: { key: raw.key, handle }, rank, area };
    }
  }
  return best?.hit ?? null;
}

/** Moved by (dx, dy), its size kept, stopped at the frame's edges; rounded. */
export function moveBox(box: Box, dx: number, dy: number, width: number, height: number): Box {
  const n = normalize(box);
  const w = Math.min(n.x2 - n.x1, width);
  const h = Math.min(n.y2 - n.y1, height);
  const x1 = clamp(n.x1 + dx, 0, width - w);
  const y1 = clamp(n.y1 + dy, 0, height - h);
  return roundBox({ x1, y1, x2: x1 + w, y2: y1 + h });
}

/**
 * The box with the edges `handle` names dragged to `point` (clamped to the
 * frame); the opposite edges stay. An edge stops MIN_SIZE short of its
 * opposite, so the box never inverts or shrinks below MIN_SIZE. Rounded.
 */
export function resizeBox(box: Box, handle: ResizeHandle, point: Point, width: number, height: number): Box {
  const n = normalize(box);
  const p = clampPoint(point, width, height);
  let { x1, y1, x2, y2 } = n;
  if (handle.includes('w')) {
    x1 = Math.max(0, Math.min(p.x, n.x2 - MIN_SIZE));
  }
  if (handle.includes('e')) {
    x2 = Math.min(width, Math.max(p.x, n.x1 + MIN_SIZE));
  }
  if (handle.includes('n')) {
    y1 = Math.max(0, Math.min(p.y, n.y2 - MIN_SIZE));
  }
  if (handle.includes('s')) {
    y2 = Math.min(height, Math.max(p.y, n.y1 + MIN_SIZE));
  }
  return roundBox({ x1, y1, x2, y2 });
}

/** A keyboard nudge: a move by whole steps, kept inside the frame. */
export function nudge(box: Box, dx: number, dy: number, width: number, height: number): Box {
  return moveBox(box, dx, dy, width, height);
}

/** Where a handle sits on a (normalized) box. */
export function handlePoint(box: Box, handle: ResizeHandle): Point {
  const n = normalize(box);
  const x = handle.includes('w') ? n.x1 : handle.includes('e') ? n.x2 : (n.x1 + n.x2) / 2;
  const y = handle.includes('n') ? n.y1 : handle.includes('s') ? n.y2 : (n.y1 + n.y2) / 2;
  return { x, y };
}
