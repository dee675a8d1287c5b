import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react';
import {
  clampToFrame,
  clientToFrame,
  displayToFrameLength,
  handlePoint,
  hitTest,
  isValidBox,
  moveBox,
  normalize,
  nudge,
  RESIZE_HANDLES,
  resizeBox,
  sameBox,
  type Box,
  type Handle,
  type Point,
  type ResizeHandle,
} from './geometry';
import { canvasCommandForKey, cursorFor } from './interaction';

export interface CanvasBox {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  label?: string;
}

export interface BoxCanvasProps {
  /** The exact frame (server JPEG); null shows a placeholder. */
  imageUrl: string | null;
  /** Proxy pixels. */
  frameWidth: number;
  frameHeight: number;
  boxes: CanvasBox[];
  selectedKey: string | null;
  /** Colour of a box being drawn. */
  drawColor: string;
  /** No drawing or editing (e.g. while playing or for read-only reviewers); selecting still works. */
  disabled?: boolean;
  onSelect(key: string | null): void;
  /** A new box drawn by dragging on empty space (proxy pixels, normalized, clamped); tiny drags are ignored. */
  onCreate(box: Box): void;
  /** Moved or resized (on pointer up, once per gesture), or nudged by an arrow key. */
  onChange(key: string, box: Box): void;
  onDelete(key: string): void;
}

/** How near an edge (display pixels) the pointer grabs a handle. */
export const HANDLE_TOLERANCE = 6;
/** Side of a drawn handle square (display pixels). */
const HANDLE_SIZE = 8;
/** How far (display pixels) a press inside a box must travel before it moves or resizes it. */
export const DRAG_THRESHOLD = 3;
/** Label font size (display pixels). */
const LABEL_SIZE = 12;

type Gesture =
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

/** Frame pixels per display pixel of the svg, measured when it can be (1 before layout). */
function useFramePixelsPerDisplayPixel(
  svgRef: RefObject<SVGSVGElement | null>,
  frameWidth: number,
  imageUrl: string | null,
): number {
  const [ratio, setRatio] = useState(1);
  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (svg === null) {
      return undefined;
    }
    const measure = () => {
      const width = svg.getBoundingClientRect().width;
      if (width > 0 && frameWidth > 0) {
        setRatio(frameWidth / width);
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(svg);
    return () => observer.disconnect();
  }, [svgRef, frameWidth, imageUrl]);
  return ratio;
}

function describeBox(box: Box): string {
  const n = normalize(box);
  return `(${n.x1}, ${n.y1}) – (${n.x2}, ${n.y2})`;
}

/**
 * The exact frame with its boxes over it, in frame pixels. Draw on empty
 * space, drag a box to move it, drag a handle of the selected box to resize
 * it; Delete removes the selected box, arrows nudge it (Shift: 10 px), Escape
 * cancels a drag or deselects. Changes are reported once per gesture.
 */
export function BoxCanvas({
  imageUrl,
  frameWidth,
  frameHeight,
  boxes,
  selectedKey,
  drawColor,
  disabled: disabledProp = false,
  onSelect,
  onCreate,
  onChange,
  onDelete,
}: BoxCanvasProps) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  /** The gesture in progress; the ref is what handlers read, the state what renders. */
  const gestureRef = useRef<Gesture | null>(null);
  const [gesture, setGestureState] = useState<Gesture | null>(null);
  const [hover, setHover] = useState<Handle | null>(null);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  /** The frame the <img> shows now: until it is `imageUrl`, the picture is stale and nothing is drawn on it. */
  const [loadedUrl, setLoadedUrl] = useState<string | null>(null);
  const loading = imageUrl !== null && loadedUrl !== imageUrl;
  const disabled = disabledProp || loading;
  const perDisplayPixel = useFramePixelsPerDisplayPixel(svgRef, frameWidth, imageUrl);

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
    [imageUrl, disabled],
  );

  const wrapperStyle: CSSProperties = {
    position: 'relative',
    width: '100%',
    aspectRatio: frameWidth > 0 && frameHeight > 0 ? `${frameWidth} / ${frameHeight}` : undefined,
    userSelect: 'none',
  };

  if (imageUrl === null) {
    return (
      <div className="box-canvas box-canvas-empty" data-testid="box-canvas" style={wrapperStyle}>
        <p className="box-canvas-placeholder">Pause to draw boxes on the exact frame</p>
      </div>
    );
  }

  /** The pointer in frame pixels (unclamped), and the frame's displayed rectangle. */
  const locate = (event: { clientX: number; clientY: number }) => {
    const rect = svgRef.current!.getBoundingClientRect();
    return { point: clientToFrame(event.clientX, event.clientY, rect, frameWidth, frameHeight), rect };
  };

  /** The gesture after the pointer moved to `point`. */
  const advance = (current: Gesture, point: Point, displayWidth: number): Gesture => {
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
  };

  const samePointer = (current: Gesture, event: ReactPointerEvent) =>
    typeof event.pointerId !== 'number' || current.pointerId === event.pointerId;

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (event.button !== 0 || gestureRef.current !== null) {
      return;
    }
    event.preventDefault();
    wrapperRef.current?.focus({ preventScroll: true });
    const { point, rect } = locate(event);
    const tolerance = displayToFrameLength(HANDLE_TOLERANCE, frameWidth, rect.width);
    const hit = hitTest(boxes, point, tolerance, disabled ? null : selectedKey);
    if (hit !== null && hit.key !== selectedKey) {
      onSelect(hit.key);
    }
    if (disabled) {
      if (hit === null && selectedKey !== null) {
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
      const tolerance = displayToFrameLength(HANDLE_TOLERANCE, frameWidth, rect.width);
      setHover(hitTest(boxes, point, tolerance, disabled ? null : selectedKey)?.handle ?? null);
      return;
    }
    if (!samePointer(current, event)) {
      return;
    }
    if (disabled) {
      cancelGesture();
      return;
    }
    const next = advance(current, point, rect.width);
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
    const done = advance(current, point, rect.width);
    release(current.pointerId);
    setGesture(null);
    if (disabled) {
      return;
    }
    if (done.kind === 'draw') {
      if (isValidBox(done.box, frameWidth, frameHeight)) {
        onCreate(done.box);
      } else if (selectedKey !== null) {
        // A click on empty space.
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
    const command = canvasCommandForKey(event);
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
    const selected = boxes.find((b) => b.key === selectedKey);
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

  const live = disabled ? null : gesture;
  const cursor =
    live === null
      ? cursorFor(hover, disabled)
      : live.kind === 'draw'
        ? 'crosshair'
        : cursorFor(live.handle, false);
  const handleSize = HANDLE_SIZE * perDisplayPixel;
  const labelSize = LABEL_SIZE * perDisplayPixel;
  const shown = boxes.map((b) => {
    const edited = live !== null && live.kind !== 'draw' && live.key === b.key ? live.box : normalize(b);
    return { ...b, ...edited };
  });
  const selected = shown.find((b) => b.key === selectedKey);
  const failed = failedUrl === imageUrl;

  return (
    <div
      ref={wrapperRef}
      className={disabled ? 'box-canvas is-disabled' : 'box-canvas'}
      data-testid="box-canvas"
      tabIndex={0}
      role="group"
      aria-label="Box canvas: drag to draw a box; arrows move the selected box, Delete removes it"
      style={wrapperStyle}
      onKeyDown={onKeyDown}
    >
      <img
        src={imageUrl}
        alt=""
        draggable={false}
        onLoad={() => setLoadedUrl(imageUrl)}
        onError={() => setFailedUrl(imageUrl)}
        style={{ display: 'block', width: '100%', height: '100%' }}
      />
      {loading && !failed && (
        <p
          className="box-canvas-loading"
          role="status"
          style={{ position: 'absolute', top: 4, left: 4, margin: 0, padding: '1px 6px', fontSize: 12, background: 'rgba(0, 0, 0, 0.6)', color: '#fff', pointerEvents: 'none' }}
        >
          loading frame…
        </p>
      )}
      {failed && (
        <p className="box-canvas-error" role="alert">
          The frame could not be loaded
        </p>
      )}
      <svg
        ref={svgRef}
        role="img"
        aria-label={`Frame ${frameWidth}×${frameHeight} with ${boxes.length} ${boxes.length === 1 ? 'box' : 'boxes'}`}
        viewBox={`0 0 ${frameWidth} ${frameHeight}`}
        preserveAspectRatio="none"
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', cursor, touchAction: 'none' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onLostPointerCapture={onLostPointerCapture}
        onPointerLeave={() => setHover(null)}
      >
        {shown.map((b) => {
          const isSelected = b.key === selectedKey;
          const above = b.y1 >= labelSize * 1.2;
          return (
            <g key={b.key} className="box-canvas-item">
              <rect
                data-key={b.key}
                data-selected={isSelected ? 'true' : undefined}
                className={isSelected ? 'box-canvas-box is-selected' : 'box-canvas-box'}
                x={b.x1}
                y={b.y1}
                width={b.x2 - b.x1}
                height={b.y2 - b.y1}
                fill={b.color}
                fillOpacity={isSelected ? 0.15 : 0}
                stroke={b.color}
                strokeWidth={isSelected ? 3 : 2}
                vectorEffect="non-scaling-stroke"
              >
                <title>{`${b.label ?? 'Box'} ${describeBox(b)}`}</title>
              </rect>
              {b.label !== undefined && b.label !== '' && (
                <text
                  className="box-canvas-label"
                  x={b.x1 + 2 * perDisplayPixel}
                  y={above ? b.y1 - 3 * perDisplayPixel : b.y1 + labelSize}
                  fontSize={labelSize}
                  fill={b.color}
                  stroke="#000"
                  strokeWidth={3 * perDisplayPixel}
                  paintOrder="stroke"
                  aria-hidden="true"
                >
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        {selected !== undefined && !disabled && (
          <g className="box-canvas-handles">
            {RESIZE_HANDLES.map((handle: ResizeHandle) => {
              const p = handlePoint(selected, handle);
              return (
                <rect
                  key={handle}
                  data-handle={handle}
                  x={p.x - handleSize / 2}
                  y={p.y - handleSize / 2}
                  width={handleSize}
                  height={handleSize}
                  fill="#fff"
                  stroke={selected.color}
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                  style={{ cursor: cursorFor(handle, false) }}
                />
              );
            })}
          </g>
        )}
        {live !== null && live.kind === 'draw' && live.box.x2 > live.box.x1 && live.box.y2 > live.box.y1 && (
          <rect
            data-testid="box-canvas-draft"
            x={live.box.x1}
            y={live.box.y1}
            width={live.box.x2 - live.box.x1}
            height={live.box.y2 - live.box.y1}
            fill="none"
            stroke={drawColor}
            strokeWidth={2}
            strokeDasharray="6 4"
            vectorEffect="non-scaling-stroke"
          />
        )}
      </svg>
    </div>
  );
}
