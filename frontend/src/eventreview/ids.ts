/** Which server ids the items of the working copy have, after a save or a 409 (by id, name, frame and position). */
import type { Box } from '../components';
import type { ReviewDoc } from './reviewDoc';
import type { EventDoc } from './types';


export interface IdMap {
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
export function matchIds(doc: ReviewDoc, server: EventDoc, newBoxes: boolean): IdMap {
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
export function applyIds(doc: ReviewDoc, map: IdMap, server: EventDoc): ReviewDoc {
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
