/**
 * Tracked boxes waiting for the reviewer (pure): the answer of "track" is one box per second where the model
 * followed the object; each is shown dashed on its second and becomes the object's box once confirmed (Enter), or
 * is dropped (x). Seconds where the object has a box already are not proposed again.
 */
import type { CanvasBox } from '../components';
import type { ReviewDoc } from './reviewDoc';
import type { BoxOrigin } from './state';

export interface TrackedBox {
  objectKey: string;
  frame_index: number;
  t: number;
  box: [number, number, number, number];
  /** The track job that answered it, kept with the box as provenance. */
  origin?: BoxOrigin;
}

export const TRACKED_COLOR = '#9ca3af';
export const trackedKey = (frame: number): string => `tracked-${frame}`;

/** The answer's boxes for `objectKey`, minus the seconds where the object has a box, in time order. */
export function pendingFrom(result: unknown, objectKey: string, doc: ReviewDoc, origin?: BoxOrigin): TrackedBox[] {
  const boxes = (result as { boxes?: unknown } | null)?.boxes;
  if (!Array.isArray(boxes)) return [];
  const object = doc.objects.find((o) => o.key === objectKey);
  const taken = new Set(object?.boxes.map((b) => b.frame_index) ?? []);
  const found: TrackedBox[] = [];
  for (const raw of boxes) {
    const b = raw as { frame_index?: unknown; t?: unknown; box?: unknown };
    if (typeof b.frame_index !== 'number' || typeof b.t !== 'number' || !Array.isArray(b.box) || b.box.length !== 4) continue;
    if (taken.has(b.frame_index)) continue;
    const [x1, y1, x2, y2] = b.box.map(Number) as [number, number, number, number];
    if (!(x2 > x1 && y2 > y1)) continue;
    found.push({ objectKey, frame_index: b.frame_index, t: b.t, box: [x1, y1, x2, y2], ...(origin ? { origin } : {}) });
  }
  return found.sort((a, b) => a.t - b.t);
}

/** The tracked box of this second as the canvas draws it (dashed, labelled). */
export function trackedCanvasBoxes(pending: readonly TrackedBox[], frame: number | null, name: string): CanvasBox[] {
  return pending
    .filter((p) => p.frame_index === frame)
    .map((p) => ({
      key: trackedKey(p.frame_index),
      x1: p.box[0],
      y1: p.box[1],
      x2: p.box[2],
      y2: p.box[3],
      color: TRACKED_COLOR,
      label: `? ${name} · tracked · Enter / x`,
      ghost: true,
    }));
}

/** The pending box after the one at `frame` (the next second to confirm), else the first one left. */
export function nextPending(pending: readonly TrackedBox[], frame: number): TrackedBox | null {
  const rest = pending.filter((p) => p.frame_index !== frame);
  const at = pending.findIndex((p) => p.frame_index === frame);
  const after = pending.slice(at + 1).find((p) => p.frame_index !== frame);
  return after ?? rest[0] ?? null;
}
