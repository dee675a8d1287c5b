/**
 * Undo / redo over immutable snapshots of a document, as pure functions on
 * a state that holds them (an island's reducer state extends `Undoable`).
 * An edit with a field name that repeats the previous edit's field within
 * `COALESCE_MS` replaces the present instead of adding a step, so a word
 * typed is undone at once, not letter by letter.
 */

/** The most undo steps kept; older ones are dropped. */
export const HISTORY_CAP = 200;

/** Edits of the same field closer together than this are one undo step (typing, nudging). */
export const COALESCE_MS = 1000;

export interface Undoable<T> {
  past: T[];
  present: T;
  future: T[];
  /** Coalescing: the field of the last edit and when it was made (ms). */
  lastField: string | null;
  lastAt: number;
}

export interface EditOptions<T> {
  /** The field edited, for coalescing; null: a step of its own. */
  field?: string | null;
  /** When (ms); defaults to now. */
  at?: number;
  /** An edit equal to the present is not a step. */
  equals?: (a: T, b: T) => boolean;
  cap?: number;
  coalesceMs?: number;
}

/** A history whose only state is `present`. */
export function undoable<T>(present: T): Undoable<T> {
  return { past: [], present, future: [], lastField: null, lastAt: Number.NEGATIVE_INFINITY };
}

export const canUndo = (state: Undoable<unknown>): boolean => state.past.length > 0;
export const canRedo = (state: Undoable<unknown>): boolean => state.future.length > 0;

/** Records `next` as the present: one undo step, or part of the last one; `state` itself when nothing changed. */
export function edit<T, S extends Undoable<T>>(state: S, next: T, options: EditOptions<T> = {}): S {
  const { field = null, at = Date.now(), equals = Object.is, cap = HISTORY_CAP, coalesceMs = COALESCE_MS } = options;
  if (equals(next, state.present)) return state;
  const coalesce = field !== null && field === state.lastField && at - state.lastAt <= coalesceMs && state.past.length > 0;
  const past = coalesce ? state.past : [...state.past, state.present].slice(-Math.max(1, cap));
  return { ...state, past, present: next, future: [], lastField: field, lastAt: at };
}

/** Steps back; `state` itself when there is nothing to undo. */
export function undo<S extends Undoable<unknown>>(state: S): S {
  if (state.past.length === 0) return state;
  return {
    ...state,
    past: state.past.slice(0, -1),
    present: state.past[state.past.length - 1],
    future: [...state.future, state.present],
    lastField: null,
    lastAt: Number.NEGATIVE_INFINITY,
  } as S;
}

/** Steps forward again; `state` itself when there is nothing to redo. */
export function redo<S extends Undoable<unknown>>(state: S): S {
  if (state.future.length === 0) return state;
  return {
    ...state,
    past: [...state.past, state.present],
    present: state.future[state.future.length - 1],
    future: state.future.slice(0, -1),
    lastField: null,
    lastAt: Number.NEGATIVE_INFINITY,
  } as S;
}

/** Forgets every step: `present` is the only state. */
export function resetHistory<T, S extends Undoable<T>>(state: S, present: T): S {
  return { ...state, ...undoable(present) };
}
