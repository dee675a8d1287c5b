/** The most undo steps kept; older ones are dropped. */
export const HISTORY_CAP = 200;

/** Edits of the same field closer together than this are one undo step (typing). */
export const COALESCE_MS = 1000;

export interface HistoryOptions<T> {
  cap?: number;
  coalesceMs?: number;
  /** The clock, in milliseconds; injected for tests. */
  now?: () => number;
  /** A push equal to the present is not a step. */
  equals?: (a: T, b: T) => boolean;
}

/**
 * Undo/redo over immutable snapshots of a document. A push with a coalescing
 * key (the field being typed into) that repeats the previous push's key
 * within `coalesceMs` replaces the present instead of adding a step, so a
 * word typed is undone at once, not letter by letter.
 */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private current: T;
  private lastKey: string | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly cap: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;
  private readonly equals: (a: T, b: T) => boolean;

  constructor(initial: T, options: HistoryOptions<T> = {}) {
    this.current = initial;
    this.cap = Math.max(1, options.cap ?? HISTORY_CAP);
    this.coalesceMs = options.coalesceMs ?? COALESCE_MS;
    this.now = options.now ?? (() => Date.now());
    this.equals = options.equals ?? Object.is;
  }

  get present(): T {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** The number of steps that can be undone. */
  get depth(): number {
    return this.past.length;
  }

  /** Records `doc` as the present; `key` names the field edited, for coalescing. */
  push(doc: T, key: string | null = null): void {
    if (this.equals(doc, this.current)) {
      return;
    }
    const at = this.now();
    const coalesce =
      key !== null && key === this.lastKey && at - this.lastAt <= this.coalesceMs && this.past.length > 0;
    if (!coalesce) {
      this.past.push(this.current);
      if (this.past.length > this.cap) {
        this.past.splice(0, this.past.length - this.cap);
      }
    }
    this.current = doc;
    this.future = [];
    this.lastKey = key;
    this.lastAt = at;
  }

  /** Steps back; returns the new present, or null when there is nothing to undo. */
  undo(): T | null {
    const previous = this.past.pop();
    if (previous === undefined) {
      return null;
    }
    this.future.push(this.current);
    this.current = previous;
    this.breakCoalescing();
    return previous;
  }

  /** Steps forward again; returns the new present, or null when there is nothing to redo. */
  redo(): T | null {
    const next = this.future.pop();
    if (next === undefined) {
      return null;
    }
    this.past.push(this.current);
    this.current = next;
    this.breakCoalescing();
    return next;
  }

  /** Forgets every step: `doc` is the only state. */
  reset(doc: T): void {
    this.past = [];
    this.future = [];
    this.current = doc;
    this.breakCoalescing();
  }

  /** The next push is a step of its own, whatever its key. */
  breakCoalescing(): void {
    this.lastKey = null;
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
