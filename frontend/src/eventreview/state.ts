/**
 * Every change to the reviewer's working copy as a pure reducer, with undo /
 * redo and a saved baseline (what the server has) for dirty tracking.
 */
import type { Box } from '../components';
import { canRedo, canUndo, edit, redo, undo, undoable, type Undoable } from '../shared/undo';
import { applyIds, matchIds, type IdMap } from './ids';
import {
  findBox,
  findObject,
  newObjectName,
  reviewDocOf,
  sameDoc,
  unusedColor,
  type ReviewBox,
  type ReviewDoc,
  type ReviewObject,
} from './reviewDoc';
import type { Audibility, EventDoc } from './types';

export { COALESCE_MS, HISTORY_CAP } from '../shared/undo';

export interface ReviewState extends Undoable<ReviewDoc> {
  /** What the server holds (as far as this page knows): the present differs from it = unsaved changes. */
  saved: ReviewDoc;
  /** The number the next new key is made of. */
  nextKey: number;
  /** The key of the object or box the last add created (to select it). */
  created: string | null;
}

/** Where a box kept from a click or a track came from: the job that answered it, and its model. */
export interface BoxOrigin {
  job: number;
  model: string;
}

export type ReviewAction =
  | { type: 'addBox'; objectKey: string; frameIndex: number; box: Box; origin?: BoxOrigin }
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

export function initialState(doc: EventDoc): ReviewState {
  const present = reviewDocOf(doc);
  return { ...undoable(present), saved: present, nextKey: 1, created: null };
}

/** Edits made and not on the server yet. */
export const isDirty = (state: ReviewState): boolean => !sameDoc(state.present, state.saved);
export { canRedo, canUndo };

function reconcile(state: ReviewState, map: IdMap, server: EventDoc): Omit<ReviewState, 'saved'> {
  const fix = (doc: ReviewDoc) => applyIds(doc, map, server);
  return {
    ...state,
    past: state.past.map(fix),
    present: fix(state.present),
    future: state.future.map(fix),
  };
}

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
function record(state: ReviewState, next: ReviewDoc, field: string | null = null, at?: number): ReviewState {
  const edited = edit(state, next, { field, ...(at === undefined ? {} : { at }), equals: sameContent });
  return edited === state ? state : { ...edited, created: null };
}

function fresh(state: ReviewState, doc: ReviewDoc): ReviewState {
  return { ...undoable(doc), saved: doc, nextKey: state.nextKey, created: null };
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
        machine: action.origin?.model ?? '',
        ...(action.origin !== undefined ? { origin: { job: action.origin.job } } : {}),
      };
      const next = mapObject(doc, action.objectKey, (o) => ({ ...o, boxes: [...o.boxes, added] }));
      return { ...record(state, next), nextKey: state.nextKey + 1, created: key };
    }
    case 'changeBox': {
      const box = normalBox(action.box);
      const next = mapBox(doc, action.boxKey, (b) => ({ ...b, ...box }));
      return record(state, next, `box:${action.boxKey}`, action.at);
    }
    case 'deleteBox':
      return record(state, mapBox(doc, action.boxKey, () => null));
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
      return { ...record(state, { objects: [...doc.objects, added] }), nextKey: state.nextKey + 1, created: key };
    }
    case 'removeObject':
      return record(state, { objects: doc.objects.filter((o) => o.key !== action.objectKey) });
    case 'rename':
      return record(
        state,
        mapObject(doc, action.objectKey, (o) => ({ ...o, name: action.name })),
        `name:${action.objectKey}`,
        action.at,
      );
    case 'setAudibility':
      return record(state, mapObject(doc, action.objectKey, (o) => ({ ...o, audibility: action.audibility })));
    case 'toggleAudibility':
      return record(
        state,
        mapObject(doc, action.objectKey, (o) => ({
          ...o,
          audibility: o.audibility === 'audible' ? 'visible_only' : 'audible',
        })),
      );
    case 'undo': {
      const previous = undo(state);
      return previous === state ? state : { ...previous, created: null };
    }
    case 'redo': {
      const next = redo(state);
      return next === state ? state : { ...next, created: null };
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
