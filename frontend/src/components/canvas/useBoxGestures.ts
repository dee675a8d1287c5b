import {
  useEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react';
import {
  clampToFrame,
  clientToFrame,
  displayToFrameLength,
  hitTest,
  isValidBox,
  normalize,
  nudge,
  sameBox,
  type Box,
  type Handle,
  type KeyedBox,
  type Point,
} from './geometry';
import { advanceGesture, canvasCommandForKey, type Gesture, type NudgeKey } from './interaction';

/** How near an edge (display pixels) the pointer grabs a handle. */
export const HANDLE_TOLERANCE = 6;

export interface GestureOptions {
  svgRef: RefObject<SVGSVGElement | null>;
  wrapperRef: RefObject<HTMLDivElement | null>;
  imageUrl: string | null;
  frameWidth: number;
  frameHeight: number;
  boxes: readonly (KeyedBox & { ghost?: boolean })[];
  selectedKey: string | null;
  /** No drawing or editing (selecting still works). */
  disabled: boolean;
  /** Which arrows nudge the selected box (default: plain arrows). */
  nudgeKey?: NudgeKey;
  onSelect(key: string | null): void;
  onCreate(box: Box): void;
  onChange(key: string, box: Box): void;
  onDelete(key: string): void;
  /** A click (no drag) on the frame, outside people's boxes: click-to-box. Left out, such a click deselects. */
  onPointClick?(point: Point): void;
}

/** The pointer and key handling of the box canvas: draw, move, resize, nudge, delete, select. */
export function useBoxGestures(options: GestureOptions) {
  const { svgRef, wrapperRef, frameWidth, frameHeight, boxes, selectedKey, disabled } = options;
  const { onSelect, onCreate, onChange, onDelete, onPointClick } = options;
  // Ghosts (machine proposals) are selected by a click but never moved or resized: a drag over one draws.
  const solid = boxes.filter((b) => b.ghost !== true);
  const ghosts = boxes.filter((b) => b.ghost === true);
  /** The gesture in progress; the ref is what handlers read, the state what renders. */
  const gestureRef = useRef<Gesture | null>(null);
  const [gesture, setGestureState] = useState<Gesture | null>(null);
  const [hover, setHover] = useState<Handle | null>(null);

  const setGesture = (next: Gesture | null) => {
    gestureRef.current = next;
    setGestureState(next);
  };

  const release = (pointerId: number) => {
    const svg = svgRef.current;
    if (svg !== null && typeof svg.releasePointerCapture === 'function') {
      try {
        svg.releasePointerCapture(pointerId);
      } catch {
        // Not captured (any more): nothing to release.
      }
    }
  };

  const cancelGesture = () => {
    const current = gestureRef.current;
    if (current !== null) {
      release(current.pointerId);
      setGesture(null);
    }
  };

  // A new frame, or drawing turned off: a gesture begun before must not land on it.
  useEffect(
    () => () => {
      const current = gestureRef.current;
      if (current === null) return;
      gestureRef.current = null;
      release(current.pointerId);
      setGestureState(null);
    },
    [options.imageUrl, disabled],
  );

  /** The pointer in frame pixels (unclamped), and the frame's displayed rectangle. */
  const locate = (event: { clientX: number; clientY: number }) => {
    const rect = svgRef.current!.getBoundingClientRect();
    return { point: clientToFrame(event.clientX, event.clientY, rect, frameWidth, frameHeight), rect };
  };

  const samePointer = (current: Gesture, event: ReactPointerEvent) =>
    typeof event.pointerId !== 'number' || current.pointerId === event.pointerId;

  const hitAt = (point: Point, displayWidth: number) =>
    hitTest(solid, point, displayToFrameLength(HANDLE_TOLERANCE, frameWidth, displayWidth), disabled ? null : selectedKey);
  const ghostAt = (point: Point, displayWidth: number) =>
    hitTest(ghosts, point, displayToFrameLength(HANDLE_TOLERANCE, frameWidth, displayWidth), null);

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (event.button !== 0 || gestureRef.current !== null) {
      return;
    }
    event.preventDefault();
    wrapperRef.current?.focus({ preventScroll: true });
    const { point, rect } = locate(event);
    const hit = hitAt(point, rect.width);
    if (hit !== null && hit.key !== selectedKey) {
      onSelect(hit.key);
    }
    if (disabled) {
      const ghost = hit === null ? ghostAt(point, rect.width) : null;
      if (ghost !== null) {
        onSelect(ghost.key);
      } else if (hit === null && selectedKey !== null) {
        onSelect(null);
      }
      return;
    }
    const pointerId = typeof event.pointerId === 'number' ? event.pointerId : 1;
    const svg = event.currentTarget;
    if (typeof svg.setPointerCapture === 'function') {
      try {
        svg.setPointerCapture(pointerId);
      } catch {
        // A synthetic or finished pointer cannot be captured; the gesture works without.
      }
    }
    if (hit === null) {
      const origin = clampToFrame({ x1: point.x, y1: point.y, x2: point.x, y2: point.y }, frameWidth, frameHeight);
      setGesture({ kind: 'draw', pointerId, origin: { x: origin.x1, y: origin.y1 }, box: origin });
      return;
    }
    const target = boxes.find((b) => b.key === hit.key)!;
    setGesture({
      kind: hit.handle === 'inside' ? 'move' : 'resize',
      pointerId,
      key: hit.key,
      handle: hit.handle,
      origin: point,
      start: normalize(target),
      box: normalize(target),
      active: false,
    });
  };

  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const current = gestureRef.current;
    const { point, rect } = locate(event);
    if (current === null) {
      setHover(hitAt(point, rect.width)?.handle ?? null);
      return;
    }
    if (!samePointer(current, event)) {
      return;
    }
    if (disabled) {
      cancelGesture();
      return;
    }
    const next = advanceGesture(current, point, rect.width, frameWidth, frameHeight);
    if (next !== current) {
      setGesture(next);
    }
  };

  const onPointerUp = (event: ReactPointerEvent<SVGSVGElement>) => {
    const current = gestureRef.current;
    if (current === null || !samePointer(current, event)) {
      return;
    }
    const { point, rect } = locate(event);
    const done = advanceGesture(current, point, rect.width, frameWidth, frameHeight);
    release(current.pointerId);
    setGesture(null);
    if (disabled) {
      return;
    }
    if (done.kind === 'draw') {
      if (isValidBox(done.box, frameWidth, frameHeight)) {
        onCreate(done.box);
        return;
      }
      // A click on empty space: on a ghost it selects the proposal; elsewhere, with click-to-box on, it asks for the
      // box under it, or else deselects. (A click on a person's box selects that box, as always.)
      const ghost = ghostAt(point, rect.width);
      if (ghost !== null) {
        onSelect(ghost.key);
      } else if (onPointClick !== undefined) {
        onPointClick(done.origin);
      } else if (selectedKey !== null) {
        onSelect(null);
      }
      return;
    }
    if (done.active && !sameBox(done.box, done.start) && boxes.some((b) => b.key === done.key)) {
      onChange(done.key, done.box);
    }
  };

  const onPointerCancel = (event: ReactPointerEvent<SVGSVGElement>) => {
    const current = gestureRef.current;
    if (current !== null && samePointer(current, event)) {
      cancelGesture();
    }
  };

  const onLostPointerCapture = (event: ReactPointerEvent<SVGSVGElement>) => {
    const current = gestureRef.current;
    if (current !== null && samePointer(current, event)) {
      // Capture taken away (the browser, another element): the gesture ends without a change.
      setGesture(null);
    }
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const command = canvasCommandForKey(event, options.nudgeKey ?? 'plain');
    if (command === null) {
      return;
    }
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    if (command.kind === 'escape') {
      if (gestureRef.current !== null) {
        cancelGesture();
        handled();
      } else if (selectedKey !== null) {
        onSelect(null);
        handled();
      }
      return;
    }
    // A selected ghost (a proposal) is not moved or deleted from the canvas: its keys are the page's.
    const selected = solid.find((b) => b.key === selectedKey);
    if (disabled || selected === undefined || gestureRef.current !== null) {
      return;
    }
    handled();
    if (command.kind === 'delete') {
      onDelete(selected.key);
      return;
    }
    const start = normalize(selected);
    const moved = nudge(start, command.dx, command.dy, frameWidth, frameHeight);
    if (!sameBox(moved, start)) {
      onChange(selected.key, moved);
    }
  };

  return {
    /** The gesture in progress while drawing is allowed. */
    live: disabled ? null : gesture,
    hover,
    onKeyDown,
    svgHandlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp,
      onPointerCancel,
      onLostPointerCapture,
      onPointerLeave: () => setHover(null),
    },
  };
}
