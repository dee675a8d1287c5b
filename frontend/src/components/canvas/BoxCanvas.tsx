import { useLayoutEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { BoxShapes, type CanvasBox } from './BoxShapes';
import { normalize, type Box } from './geometry';
import { cursorFor, type NudgeKey } from './interaction';
import { useBoxGestures } from './useBoxGestures';

export type { CanvasBox } from './BoxShapes';
export { DRAG_THRESHOLD } from './interaction';
export { HANDLE_TOLERANCE } from './useBoxGestures';

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
  /**
   * Which arrows nudge the selected box: 'plain' (default) or 'alt' (Alt+arrows, Shift for 10 px; plain arrows
   * are left to the page, e.g. to seek).
   */
  nudgeKey?: NudgeKey;
  /** Click-to-box: a click (no drag) outside people's boxes gives this point (frame pixels); a drag still draws. */
  onPointClick?(point: { x: number; y: number }): void;
  /** Something is being computed for the frame (e.g. the box of a click): shown over it. */
  busy?: string | null;
}

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

const LOADING_STYLE: CSSProperties = {
  position: 'absolute',
  top: 4,
  left: 4,
  margin: 0,
  padding: '1px 6px',
  fontSize: 12,
  background: 'rgba(0, 0, 0, 0.6)',
  color: '#fff',
  pointerEvents: 'none',
};

/**
 * The exact frame with its boxes over it, in frame pixels. Draw on empty
 * space, drag a box to move it, drag a handle of the selected box to resize
 * it; Delete removes the selected box, arrows nudge it (Shift: 10 px), Escape
 * cancels a drag or deselects. Changes are reported once per gesture.
 */
export function BoxCanvas(props: BoxCanvasProps) {
  const { imageUrl, frameWidth, frameHeight, boxes, selectedKey, drawColor } = props;
  const wrapperRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  /** The frame the <img> shows now: until it is `imageUrl`, the picture is stale and nothing is drawn on it. */
  const [loadedUrl, setLoadedUrl] = useState<string | null>(null);
  const loading = imageUrl !== null && loadedUrl !== imageUrl;
  const disabled = props.disabled === true || loading;
  const perDisplayPixel = useFramePixelsPerDisplayPixel(svgRef, frameWidth, imageUrl);
  const { live, hover, onKeyDown, svgHandlers } = useBoxGestures({ ...props, svgRef, wrapperRef, disabled });

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

  const cursor =
    live === null
      ? props.onPointClick !== undefined && !disabled && hover === null
        ? 'crosshair'
        : cursorFor(hover, disabled)
      : live.kind === 'draw'
        ? 'crosshair'
        : cursorFor(live.handle, false);
  const shown = boxes.map((b) => {
    const edited = live !== null && live.kind !== 'draw' && live.key === b.key ? live.box : normalize(b);
    return { ...b, ...edited };
  });
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
      {props.busy !== undefined && props.busy !== null && !loading && (
        <p className="box-canvas-loading" role="status" data-testid="box-canvas-busy" style={LOADING_STYLE}>
          {props.busy}
        </p>
      )}
      {loading && !failed && (
        <p className="box-canvas-loading" role="status" style={LOADING_STYLE}>
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
        {...svgHandlers}
      >
        <BoxShapes boxes={shown} selectedKey={selectedKey} perDisplayPixel={perDisplayPixel} handles={!disabled} />
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
