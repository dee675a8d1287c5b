/** What the review page draws of an R-AVST event, read-only (pure): its sampled frames and the boxes on each. */
import { paletteColor, type CanvasBox } from '../components';
import type { EventObject, ReviewEvent } from './types';

/** The sampled seconds that have a frame on the proxy, in order: the frames the event review page shows. */
export interface EventFrame {
  t: number;
  frame: number;
}

export interface ObjectEntry {
  id: number;
  name: string;
  audibility: EventObject['audibility'];
  color: string;
  /** Boxes on the event's frames. */
  boxes: number;
  /** Frames where it has no box (the release writes [0, 0, 0, 0] there). */
  missing: number;
}

/** Boxes of objects other than the selected one are drawn this opaque. */
export const DIMMED_ALPHA = 0.45;

export const boxKey = (id: number): string => `box-${id}`;

export function eventFrames(event: Pick<ReviewEvent, 'seconds'>): EventFrame[] {
  return event.seconds.flatMap((s) => (s.frame_index === null ? [] : [{ t: s.t, frame: s.frame_index }]));
}

/** An 8-digit hex colour: `color` with `alpha` (0..1); other notations are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  const a = Math.round(Math.min(Math.max(alpha, 0), 1) * 255);
  return `${color}${a.toString(16).padStart(2, '0')}`;
}

/** The objects in order, each with its colour (the palette's, by position) and its boxes on the frames. */
export function objectEntries(event: Pick<ReviewEvent, 'objects'>, frames: readonly EventFrame[]): ObjectEntry[] {
  return event.objects.map((o, i) => {
    const on = new Set(o.boxes.map((b) => b.frame_index));
    return {
      id: o.id,
      name: o.name,
      audibility: o.audibility,
      color: paletteColor(i),
      boxes: o.boxes.filter((b) => b.frame_index !== null && frames.some((f) => f.frame === b.frame_index)).length,
      missing: frames.filter((f) => !on.has(f.frame)).length,
    };
  });
}

/**
 * The boxes on frame `frame`, labelled with their object's name (and the
 * detector's score); with an object selected, its boxes are drawn last (on
 * top) and the others dimmed.
 */
export function boxesOnFrame(
  event: Pick<ReviewEvent, 'objects'>,
  entries: readonly ObjectEntry[],
  frame: number,
  selectedObject: number | null,
): CanvasBox[] {
  const drawn = event.objects.flatMap((o, i) => {
    const entry = entries[i];
    if (entry === undefined) return [];
    const dimmed = selectedObject !== null && o.id !== selectedObject;
    return o.boxes
      .filter((b) => b.frame_index === frame)
      .map((b) => ({
        object: o.id,
        box: {
          key: boxKey(b.id),
          x1: b.x1,
          y1: b.y1,
          x2: b.x2,
          y2: b.y2,
          color: dimmed ? withAlpha(entry.color, DIMMED_ALPHA) : entry.color,
          label: [o.name.trim() || '(unnamed)', ...(b.score === null ? [] : [b.score.toFixed(2)])].join(' · '),
        },
      }));
  });
  return [...drawn.filter((d) => d.object !== selectedObject), ...drawn.filter((d) => d.object === selectedObject)].map((d) => d.box);
}

/** The object a box key belongs to, or null. */
export function objectOfBox(event: Pick<ReviewEvent, 'objects'>, key: string | null): number | null {
  if (key === null) return null;
  return event.objects.find((o) => o.boxes.some((b) => boxKey(b.id) === key))?.id ?? null;
}

/** How many objects have no box on frame `frame`. */
export const missingOn = (event: Pick<ReviewEvent, 'objects'>, frame: number): number =>
  event.objects.filter((o) => !o.boxes.some((b) => b.frame_index === frame)).length;
