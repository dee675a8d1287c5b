/**
 * The reviewer's working copy of an event's objects and boxes.
 *
 * Objects and boxes carry a local `key` that never changes (canvas keys,
 * React keys, undo history) and the server's `id` (null until the server
 * created them). The PUT body is built from the working copy in its order, so
 * the server's error keys ("objects[1].boxes[2]") name its items.
 */
import { PALETTE, paletteColor, type Box } from '../components';
import type { Audibility, EventDoc, PutBody, PutBox, PutObject, Source } from './types';

/** A box as the editor holds it: what a save sends of it, and what only this page keeps. */
export interface ReviewBox extends PutBox {
  key: string;
  score: number | null;
  source: Source;
  /** A model box's coordinates as the detector proposed them (as loaded); null for others. */
  model: Box | null;
  /** The model that proposed the box (detector, click or track); '' when drawn by hand. */
  machine: string;
}

export interface ReviewObject {
  key: string;
  id: number | null;
  name: string;
  audibility: Audibility;
  source: Source;
  /** Display colour; not saved. */
  color: string;
  boxes: ReviewBox[];
}

export interface ReviewDoc {
  objects: ReviewObject[];
}

/** The longest object name the server stores. */
export const NAME_MAX = 100;
/** The name a new object gets (numbered when taken). */
export const NEW_OBJECT_NAME = 'new object';

export const objectKeyOf = (id: number): string => `o${id}`;
export const boxKeyOf = (id: number): string => `b${id}`;

/** The colour of the n-th object (0-based). */
export const colorAt = (index: number): string => paletteColor(index);

export function unusedColor(objects: readonly ReviewObject[]): string {
  const used = new Set(objects.map((o) => o.color));
  return PALETTE.find((c) => !used.has(c)) ?? colorAt(objects.length);
}

/** The working copy of a server document. */
export function reviewDocOf(doc: EventDoc): ReviewDoc {
  return {
    objects: doc.objects.map((o, index) => ({
      key: objectKeyOf(o.id),
      id: o.id,
      name: o.name,
      audibility: o.audibility,
      source: o.source,
      color: colorAt(index),
      boxes: o.boxes.map((b) => ({
        key: boxKeyOf(b.id),
        id: b.id,
        frame_index: b.frame_index,
        x1: b.x1,
        y1: b.y1,
        x2: b.x2,
        y2: b.y2,
        score: b.score,
        source: b.source,
        model: b.source === 'model' ? { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 } : null,
        machine: b.model ?? '',
      })),
    })),
  };
}


const sameCoords = (a: Box, b: Box): boolean => a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;

/** A model box a person moved or resized (in this page, or before: a human box that kept a score). */
export function isEdited(box: ReviewBox): boolean {
  if (box.model !== null) return !sameCoords(box, box.model);
  return box.source === 'human' && box.score !== null;
}

export function findObject(doc: ReviewDoc, objectKey: string | null): ReviewObject | undefined {
  return objectKey === null ? undefined : doc.objects.find((o) => o.key === objectKey);
}

/** The box with `boxKey` and the object it belongs to. */
export function findBox(doc: ReviewDoc, boxKey: string | null): { object: ReviewObject; box: ReviewBox } | undefined {
  if (boxKey === null) return undefined;
  for (const object of doc.objects) {
    const box = object.boxes.find((b) => b.key === boxKey);
    if (box !== undefined) return { object, box };
  }
  return undefined;
}

/** The boxes on one frame, object by object, in order. */
export function boxesAt(doc: ReviewDoc, frameIndex: number): { object: ReviewObject; box: ReviewBox }[] {
  return doc.objects.flatMap((object) =>
    object.boxes.filter((b) => b.frame_index === frameIndex).map((box) => ({ object, box })),
  );
}

/** How many boxes `object` has on each frame index of `frames`. */
export function countsBySecond(object: ReviewObject, frames: readonly number[]): number[] {
  return frames.map((f) => object.boxes.filter((b) => b.frame_index === f).length);
}

/** The objects part of the PUT body (names trimmed). */
export function putObjects(doc: ReviewDoc): PutObject[] {
  return doc.objects.map((o) => ({
    id: o.id,
    name: normalName(o.name),
    audibility: o.audibility,
    boxes: o.boxes.map((b) => ({
      id: b.id,
      frame_index: b.frame_index,
      x1: b.x1,
      y1: b.y1,
      x2: b.x2,
      y2: b.y2,
      ...(b.id === null && b.origin !== undefined ? { origin: b.origin } : {}),
    })),
  }));
}

/** The PUT body of `doc` made on `version`. */
export function putBody(version: number, doc: ReviewDoc, accept = false): PutBody {
  return { version, accept, objects: putObjects(doc) };
}

/** The two would save the same (what dirty tracking compares). */
export function sameDoc(a: ReviewDoc, b: ReviewDoc): boolean {
  return a === b || JSON.stringify(putObjects(a)) === JSON.stringify(putObjects(b));
}

/** Problems the server would refuse, keyed by object key. */
export type LocalErrors = Record<string, string>;

/** A name as the server stores it: runs of white space as one space, none at the ends. */
export const normalName = (name: string): string => name.split(/\s+/).filter((part) => part !== '').join(' ');

/** Names the server takes for one and the same ("Dog" and " dog "): it refuses two objects so named. */
const nameKey = (name: string): string => normalName(name).toLowerCase();

export function validate(doc: ReviewDoc): LocalErrors {
  const errors: LocalErrors = {};
  const seen = new Map<string, number>();
  for (const o of doc.objects) {
    const name = normalName(o.name);
    if (name === '') {
      errors[o.key] = 'The object needs a name.';
      continue;
    }
    if (name.length > NAME_MAX) {
      errors[o.key] = `The name is longer than ${NAME_MAX} characters.`;
      continue;
    }
    if (name.includes('<') || name.includes('>')) {
      errors[o.key] = 'Names may not contain < or > (the answers are written between tags).';
      continue;
    }
    seen.set(nameKey(name), (seen.get(nameKey(name)) ?? 0) + 1);
  }
  for (const o of doc.objects) {
    if ((seen.get(nameKey(o.name)) ?? 0) > 1 && errors[o.key] === undefined) {
      errors[o.key] = `Two objects are named "${normalName(o.name)}" (names are compared without case).`;
    }
  }
  return errors;
}

/** "new object", or "new object 2", ... the first one not taken. */
export function newObjectName(doc: ReviewDoc, base: string = NEW_OBJECT_NAME): string {
  const taken = new Set(doc.objects.map((o) => nameKey(o.name)));
  if (!taken.has(nameKey(base))) return base;
  for (let n = 2; ; n += 1) {
    const name = `${base} ${n}`;
    if (!taken.has(nameKey(name))) return name;
  }
}
