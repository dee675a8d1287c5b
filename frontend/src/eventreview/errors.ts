import type { ReviewDoc } from './reviewDoc';

/** The server's 400 messages, placed on the objects and boxes they name (by local key). */
export interface KeyedErrors {
  objects: Record<string, string[]>;
  boxes: Record<string, string[]>;
  /** Messages that name no object or box of the document sent. */
  general: string[];
}

export const NO_ERRORS: KeyedErrors = { objects: {}, boxes: {}, general: [] };

const INDEX = String.raw`(?:\[(\d+)\]|\.(\d+))`;
/** objects[1], objects[1].name, objects[1].boxes, objects[1].boxes[2], objects[1].boxes[2].x1 (or objects.1.boxes.2). */
const KEY = new RegExp(`^objects${INDEX}(?:\\.(\\w+)(?:${INDEX}(?:\\.(\\w+))?)?)?$`);

const FIELD_LABELS: Record<string, string> = {
  audibility: 'Audibility',
  boxes: 'Boxes',
  id: 'Object',
  frame_index: 'Frame',
};

function push(into: Record<string, string[]>, key: string, message: string): void {
  (into[key] ??= []).push(message);
}

/**
 * Places the messages of a 400 on the items of `sent`, the document whose
 * PUT body (built in its order) the server answered. A message whose key
 * names no item (or an item not in `sent`) is general.
 */
export function placeErrors(sent: ReviewDoc, errors: Record<string, string>): KeyedErrors {
  const placed: KeyedErrors = { objects: {}, boxes: {}, general: [] };
  for (const [key, message] of Object.entries(errors)) {
    const m = KEY.exec(key);
    const object = m === null ? undefined : sent.objects[Number(m[1] ?? m[2])];
    if (m === null || object === undefined) {
      placed.general.push(key === 'non_field_errors' || key === '__all__' || key === 'detail' ? message : `${key}: ${message}`);
      continue;
    }
    const field = m[3];
    const boxIndex = m[4] ?? m[5];
    if (field === 'boxes' && boxIndex !== undefined) {
      const box = object.boxes[Number(boxIndex)];
      const boxField = m[6];
      const text = boxField === undefined ? message : `${boxField}: ${message}`;
      if (box !== undefined) push(placed.boxes, box.key, text);
      else push(placed.objects, object.key, `Box ${Number(boxIndex) + 1}: ${text}`);
      continue;
    }
    const label = field === undefined || field === 'name' ? null : (FIELD_LABELS[field] ?? field);
    push(placed.objects, object.key, label === null ? message : `${label}: ${message}`);
  }
  return placed;
}
