/**
 * The reviewer's working copy of an event's objects and boxes, and every
 * change to it as a pure reducer with undo / redo and a saved baseline (what
 * the server has) for dirty tracking.
 *
 * Objects and boxes carry a local `key` that never changes (canvas keys,
 * React keys, undo history) and the server's `id` (null until the server
 * created them). The PUT body is built from the working copy in its order, so
 * the server's error keys ("objects[1].boxes[2]") name its items.
 */
import { PALETTE } from '../workspace/doc';
import type { Box } from '../workspace/canvas/geometry';
import type { Audibility, EventDoc, PutBody, PutBox, PutObject, Source } from './types';

/** A box as the editor holds it: what a save sends of it, and what only this page keeps. */
export interface ReviewBox extends PutBox {
  key: string;
  score: number | null;
  source: Source;
  /** A model box's coordinates as the detector proposed them (as loaded); null for others. */
  model: Box | null;
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

export interface ReviewState {
  past: ReviewDoc[];
  present: ReviewDoc;
  future: ReviewDoc[];
  /** What the server holds (as far as this page knows): the present differs from it = unsaved changes. */
  saved: ReviewDoc;
  /** The number the next new key is made of. */
  nextKey: number;
  /** The key of the object or box the last add created (to select it). */
  created: string | null;
  /** Coalescing: the field of the last edit and when it was made (ms). */
  lastField: string | null;
  lastAt: number;
}

export type ReviewAction =
  | { type: 'addBox'; objectKey: string; frameIndex: number; box: Box }
  | { type: 'changeBox'; boxKey: string; box: Box; at?: number }
  | { type: 'deleteBox'; boxKey: string }
  | { type: 'addObject'; name?: string; audibility?: Audibility }
  | { type: 'removeObject'; objectKey: string }
  | { type: 'rename'; objectKey: string; name: string; at?: number }
  | { type: 'setAudibility'; objectKey: string; audibility: Audibility }
  | { type: 'toggleAudibility'; objectKey: string }
  | { type: 'undo' }
  | { type: 'redo' }
  /** A save of `sent` succeeded with `server` as the answer: ids of new items, baseline moved. */
  | { type: 'saved'; sent: ReviewDoc; server: EventDoc }
  /** Keep the working copy but base it on `server` (re-apply after a 409). */
  | { type: 'rebase'; server: EventDoc }
  /** The server's document is the truth (discard after a 409, an accepted event). */
  | { type: 'reset'; server: EventDoc };

/** The most undo steps kept. */
export const HISTORY_CAP = 200;
/** Edits of the same field closer together than this are one undo step (typing a name, nudging a box). */
export const COALESCE_MS = 1000;
/** The longest object name the server stores. */
export const NAME_MAX = 100;
/** The name a new object gets (numbered when taken). */
export const NEW_OBJECT_NAME = 'new object';

export const objectKeyOf = (id: number): string => `o${id}`;
export const boxKeyOf = (id: number): string => `b${id}`;

/** The colour of the n-th object (0-based). */
export const colorAt = (index: number): string => PALETTE[index % PALETTE.length]!;

function unusedColor(objects: readonly ReviewObject[]): string {
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
      })),
    })),
  };
}

export function initialState(doc: EventDoc): ReviewState {
  const present = reviewDocOf(doc);
  return {
    past: [],
    present,
    future: [],
    saved: present,
    nextKey: 1,
    created: null,
    lastField: null,
    lastAt: Number.NEGATIVE_INFINITY,
  };
}

// ---------------------------------------------------------------- reading

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
    name: o.name.trim(),
    audibility: o.audibility,
    boxes: o.boxes.map((b) => ({ id: b.id, frame_index: b.frame_index, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 })),
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

/** Edits made and not on the server yet. */
export const isDirty = (state: ReviewState): boolean => !sameDoc(state.present, state.saved);
export const canUndo = (state: ReviewState): boolean => state.past.length > 0;
export const canRedo = (state: ReviewState): boolean => state.future.length > 0;

/** Problems the server would refuse, keyed by object key. */
export type LocalErrors = Record<string, string>;

export function validate(doc: ReviewDoc): LocalErrors {
  const errors: LocalErrors = {};
  const seen = new Map<string, number>();
  for (const o of doc.objects) {
    const name = o.name.trim();
    if (name === '') {
      errors[o.key] = 'The object needs a name.';
      continue;
    }
    if (name.length > NAME_MAX) {
      errors[o.key] = `The name is longer than ${NAME_MAX} characters.`;
      continue;
    }
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  for (const o of doc.objects) {
    const name = o.name.trim();
    if ((seen.get(name) ?? 0) > 1 && errors[o.key] === undefined) {
      errors[o.key] = `Two objects are named "${name}".`;
    }
  }
  return errors;
}

/** "new object", or "new object 2", ... the first one not taken. */
export function newObjectName(doc: ReviewDoc, base: string = NEW_OBJECT_NAME): string {
  const taken = new Set(doc.objects.map((o) => o.name.trim()));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const name = `${base} ${n}`;
    if (!taken.has(name)) return name;
  }
}

// ---------------------------------------------------------------- ids from the server

interface IdMap {
  objects: Map<string, number>;
  boxes: Map<string, number>;
}

const distance = (a: Box, b: Box): number =>
  Math.abs(a.x1 - b.x1) + Math.abs(a.y1 - b.y1) + Math.abs(a.x2 - b.x2) + Math.abs(a.y2 - b.y2);

/**
 * The server ids of `doc`'s items in `server`: an id the server still has is
 * kept; an object without one takes the server object of its name that no
 * other claims; with `newBoxes`, a box without one takes the unclaimed server
 * box of its object on its frame nearest to it (the answer to a save that
 * created them).
 */
function matchIds(doc: ReviewDoc, server: EventDoc, newBoxes: boolean): IdMap {
  const map: IdMap = { objects: new Map(), boxes: new Map() };
  const serverObjects = new Map(server.objects.map((o) => [o.id, o]));
  const claimed = new Set<number>();
  for (const o of doc.objects) {
    if (o.id !== null && serverObjects.has(o.id)) {
      map.objects.set(o.key, o.id);
      claimed.add(o.id);
    }
  }
  for (const o of doc.objects) {
    if (map.objects.has(o.key)) continue;
    const match = server.objects.find((s) => !claimed.has(s.id) && s.name.trim() === o.name.trim());
    if (match !== undefined) {
      map.objects.set(o.key, match.id);
      claimed.add(match.id);
    }
  }
  for (const o of doc.objects) {
    const id = map.objects.get(o.key);
    const target = id === undefined ? undefined : serverObjects.get(id);
    if (target === undefined) continue;
    const boxIds = new Set(target.boxes.map((b) => b.id));
    const taken = new Set<number>();
    for (const b of o.boxes) {
      if (b.id !== null && boxIds.has(b.id)) {
        map.boxes.set(b.key, b.id);
        taken.add(b.id);
      }
    }
    if (!newBoxes) continue;
    for (const b of o.boxes) {
      if (b.id !== null) continue;
      let best: { id: number; d: number } | null = null;
      for (const s of target.boxes) {
        if (taken.has(s.id) || s.frame_index !== b.frame_index) continue;
        const d = distance(s, b);
        if (best === null || d < best.d) best = { id: s.id, d };
      }
      if (best !== null) {
        map.boxes.set(b.key, best.id);
        taken.add(best.id);
      }
    }
  }
  return map;
}

/**
 * `doc` with the ids of `map` (by key), and every other id the server no
 * longer has set to null: an item deleted on the server and brought back by
 * an undo is created again.
 */
function applyIds(doc: ReviewDoc, map: IdMap, server: EventDoc): ReviewDoc {
  const serverBoxes = new Map(server.objects.map((o) => [o.id, new Set(o.boxes.map((b) => b.id))]));
  return {
    objects: doc.objects.map((o) => {
      const mapped = map.objects.get(o.key);
      const id = mapped ?? (o.id !== null && serverBoxes.has(o.id) ? o.id : null);
      const valid = id === null ? undefined : serverBoxes.get(id);
      const boxes = o.boxes.map((b) => {
        const boxMapped = map.boxes.get(b.key);
        const boxId = valid === undefined ? null : (boxMapped ?? (b.id !== null && valid.has(b.id) ? b.id : null));
        return boxId === b.id ? b : { ...b, id: boxId };
      });
      const changed = id !== o.id || boxes.some((b, i) => b !== o.boxes[i]);
      return changed ? { ...o, id, boxes } : o;
    }),
  };
}

function reconcile(state: ReviewState, map: IdMap, server: EventDoc): Omit<ReviewState, 'saved'> {
  const fix = (doc: ReviewDoc) => applyIds(doc, map, server);
  return {
    ...state,
    past: state.past.map(fix),
    present: fix(state.present),
    future: state.future.map(fix),
  };
}

// ---------------------------------------------------------------- the reducer

function mapObject(doc: ReviewDoc, objectKey: string, change: (o: ReviewObject) => ReviewObject): ReviewDoc {
  let hit = false;
  const objects = doc.objects.map((o) => {
    if (o.key !== objectKey) return o;
    hit = true;
    return change(o);
  });
  return hit ? { objects } : doc;
}

function mapBox(doc: ReviewDoc, boxKey: string, change: (b: ReviewBox) => ReviewBox | null): ReviewDoc {
  const owner = findBox(doc, boxKey);
  if (owner === undefined) return doc;
  return mapObject(doc, owner.object.key, (o) => ({
    ...o,
    boxes: o.boxes.flatMap((b) => {
      if (b.key !== boxKey) return [b];
      const next = change(b);
      return next === null ? [] : [next];
    }),
  }));
}

/** Every field the reviewer sees (names untrimmed), for "did this edit change anything". */
const sameContent = (a: ReviewDoc, b: ReviewDoc): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Records `next` as the present: one undo step, or part of the last one when it edits the same field soon after. */
function edit(state: ReviewState, next: ReviewDoc, field: string | null = null, at = Date.now()): ReviewState {
  if (sameContent(next, state.present)) return state;
  const coalesce =
    field !== null && field === state.lastField && at - state.lastAt <= COALESCE_MS && state.past.length > 0;
  const past = coalesce ? state.past : [...state.past, state.present].slice(-HISTORY_CAP);
  return { ...state, past, present: next, future: [], lastField: field, lastAt: at, created: null };
}

function fresh(state: ReviewState, doc: ReviewDoc): ReviewState {
  return {
    past: [],
    present: doc,
    future: [],
    saved: doc,
    nextKey: state.nextKey,
    created: null,
    lastField: null,
    lastAt: Number.NEGATIVE_INFINITY,
  };
}

const normalBox = (box: Box): Box => ({
  x1: Math.min(box.x1, box.x2),
  y1: Math.min(box.y1, box.y2),
  x2: Math.max(box.x1, box.x2),
  y2: Math.max(box.y1, box.y2),
});

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  const doc = state.present;
  switch (action.type) {
    case 'addBox': {
      if (findObject(doc, action.objectKey) === undefined) return state;
      const box = normalBox(action.box);
      if (!(box.x2 > box.x1 && box.y2 > box.y1)) return state;
      const key = `new-${state.nextKey}`;
      const added: ReviewBox = {
        key,
        id: null,
        frame_index: action.frameIndex,
        ...box,
        score: null,
        source: 'human',
        model: null,
      };
      const next = mapObject(doc, action.objectKey, (o) => ({ ...o, boxes: [...o.boxes, added] }));
      return { ...edit(state, next), nextKey: state.nextKey + 1, created: key };
    }
    case 'changeBox': {
      const box = normalBox(action.box);
      const next = mapBox(doc, action.boxKey, (b) => ({ ...b, ...box }));
      return edit(state, next, `box:${action.boxKey}`, action.at);
    }
    case 'deleteBox':
      return edit(state, mapBox(doc, action.boxKey, () => null));
    case 'addObject': {
      const key = `new-${state.nextKey}`;
      const added: ReviewObject = {
        key,
        id: null,
        name: action.name ?? newObjectName(doc),
        audibility: action.audibility ?? 'audible',
        source: 'human',
        color: unusedColor(doc.objects),
        boxes: [],
      };
      return { ...edit(state, { objects: [...doc.objects, added] }), nextKey: state.nextKey + 1, created: key };
    }
    case 'removeObject':
      return edit(state, { objects: doc.objects.filter((o) => o.key !== action.objectKey) });
    case 'rename':
      return edit(
        state,
        mapObject(doc, action.objectKey, (o) => ({ ...o, name: action.name })),
        `name:${action.objectKey}`,
        action.at,
      );
    case 'setAudibility':
      return edit(state, mapObject(doc, action.objectKey, (o) => ({ ...o, audibility: action.audibility })));
    case 'toggleAudibility':
      return edit(
        state,
        mapObject(doc, action.objectKey, (o) => ({
          ...o,
          audibility: o.audibility === 'audible' ? 'visible_only' : 'audible',
        })),
      );
    case 'undo': {
      const previous = state.past.at(-1);
      if (previous === undefined) return state;
      return {
        ...state,
        past: state.past.slice(0, -1),
        present: previous,
        future: [...state.future, state.present],
        lastField: null,
        lastAt: Number.NEGATIVE_INFINITY,
        created: null,
      };
    }
    case 'redo': {
      const next = state.future.at(-1);
      if (next === undefined) return state;
      return {
        ...state,
        past: [...state.past, state.present],
        present: next,
        future: state.future.slice(0, -1),
        lastField: null,
        lastAt: Number.NEGATIVE_INFINITY,
        created: null,
      };
    }
    case 'saved': {
      const map = matchIds(action.sent, action.server, true);
      const next = reconcile(state, map, action.server);
      return { ...next, saved: applyIds(action.sent, map, action.server) };
    }
    case 'rebase': {
      const map = matchIds(doc, action.server, false);
      return { ...reconcile(state, map, action.server), saved: reviewDocOf(action.server) };
    }
    case 'reset':
      return fresh(state, reviewDocOf(action.server));
  }
}
