import { handlePoint, normalize, RESIZE_HANDLES, type Box, type ResizeHandle } from './geometry';
import { cursorFor } from './interaction';

/** A box as the canvas draws it: frame pixels, a colour and an optional label. */
export interface CanvasBox {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  label?: string;
  /** A machine's proposal: drawn dashed, selected by a click, never moved or resized. */
  ghost?: boolean;
}

/** Side of a drawn handle square (display pixels). */
const HANDLE_SIZE = 8;
/** Label font size (display pixels). */
const LABEL_SIZE = 12;

function describeBox(box: Box): string {
  const n = normalize(box);
  return `(${n.x1}, ${n.y1}) – (${n.x2}, ${n.y2})`;
}

export interface BoxShapesProps {
  /** The boxes as shown now (a box being moved or resized where the gesture has it). */
  boxes: CanvasBox[];
  selectedKey: string | null;
  /** Frame pixels per display pixel: handles and labels keep their size on screen. */
  perDisplayPixel: number;
  /** Handles are drawn on the selected box. */
  handles: boolean;
}

/**
 * The outline that keeps a label readable on any frame: dark around a light colour, light around a dark one (a
 * navy label in a black outline is lost on a dark frame).
 */
export function haloFor(color: string): string {
  const hex = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/i.exec(color)?.[1]; // an alpha (a dimmed box) does not change it
  if (hex === undefined) return '#000';
  // WCAG relative luminance; at about 0.18 white and black give the same contrast.
  const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [0, 2, 4].map((i) => linear(parseInt(hex.slice(i, i + 2), 16) / 255)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.18 ? '#fff' : '#000';
}

/** The boxes (with their labels) and the resize handles of the selected one, inside the canvas's svg. */
export function BoxShapes({ boxes, selectedKey, perDisplayPixel, handles }: BoxShapesProps) {
  const handleSize = HANDLE_SIZE * perDisplayPixel;
  const labelSize = LABEL_SIZE * perDisplayPixel;
  const selected = boxes.find((b) => b.key === selectedKey && b.ghost !== true);
  return (
    <>
      {boxes.map((b) => {
        const isSelected = b.key === selectedKey;
        const above = b.y1 >= labelSize * 1.2;
        return (
          <g key={b.key} className="box-canvas-item">
            <rect
              data-key={b.key}
              data-selected={isSelected ? 'true' : undefined}
              data-ghost={b.ghost === true ? 'true' : undefined}
              className={`box-canvas-box${isSelected ? ' is-selected' : ''}${b.ghost === true ? ' is-ghost' : ''}`}
              x={b.x1}
              y={b.y1}
              width={b.x2 - b.x1}
              height={b.y2 - b.y1}
              fill={b.color}
              fillOpacity={isSelected ? 0.15 : 0}
              stroke={b.color}
              strokeWidth={isSelected ? 3 : 2}
              strokeDasharray={b.ghost === true ? '6 4' : undefined}
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
                stroke={haloFor(b.color)}
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
      {selected !== undefined && handles && (
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
    </>
  );
}
