import { initialState, reviewReducer, type ReviewAction, type ReviewState } from './state';
import type { EventDoc } from './types';

/**
 * The review state outside React, so the saver reads the newest document
 * synchronously; React reads it through `subscribe` / `getState`
 * (useSyncExternalStore).
 */
export class ReviewStore {
  private state: ReviewState;
  private readonly listeners = new Set<() => void>();

  constructor(doc: EventDoc) {
    this.state = initialState(doc);
  }

  getState = (): ReviewState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies `action`; true when the state changed. */
  dispatch(action: ReviewAction): boolean {
    const next = reviewReducer(this.state, action);
    if (next === this.state) return false;
    this.state = next;
    for (const listener of this.listeners) listener();
    return true;
  }
}
