import { ExternalStore } from '../shared/externalStore';
import { initialState, reviewReducer, type ReviewAction, type ReviewState } from './state';
import type { EventDoc } from './types';

/**
 * The review state outside React, so the saver reads the newest document
 * synchronously; React reads it through `subscribe` / `getState`
 * (useSyncExternalStore).
 */
export class ReviewStore {
  private readonly store: ExternalStore<ReviewState>;

  constructor(doc: EventDoc) {
    this.store = new ExternalStore(initialState(doc));
  }

  getState = (): ReviewState => this.store.get();

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** Applies `action`; true when the state changed. */
  dispatch(action: ReviewAction): boolean {
    const state = this.store.get();
    const next = reviewReducer(state, action);
    if (next === state) return false;
    this.store.set(next);
    return true;
  }
}
