/**
 * A value outside React that React reads through `subscribe` / `get`
 * (useSyncExternalStore): both are bound, and `get` returns the same object
 * until the value is replaced.
 */
export class ExternalStore<T> {
  private value: T;
  private readonly listeners = new Set<() => void>();

  constructor(initial: T) {
    this.value = initial;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): T => this.value;

  /** Replaces the value and tells the listeners. */
  set(next: T): void {
    this.value = next;
    for (const listener of this.listeners) listener();
  }

  /** Replaces the value with a copy that has `patch`'s fields, and tells the listeners. */
  patch(patch: Partial<T>): void {
    this.set({ ...this.value, ...patch });
  }
}
