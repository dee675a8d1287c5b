import { useSyncExternalStore } from 'react';
import { ExternalStore } from './externalStore';

/** A pure reducer: the next state, or the same object when the action changes nothing. */
export type Reducer<S, A> = (state: S, action: A) => S;

/**
 * The islands' one state style: a reducer over an immutable state held
 * outside React, so event handlers and savers read the newest state
 * synchronously (`getState`), and React renders it through `useStore`
 * (useSyncExternalStore). `subscribe`, `getState` and `dispatch` are bound.
 */
export class Store<S, A> {
  private readonly value: ExternalStore<S>;
  private readonly reducer: Reducer<S, A>;

  constructor(reducer: Reducer<S, A>, initial: S) {
    this.reducer = reducer;
    this.value = new ExternalStore(initial);
  }

  getState = (): S => this.value.get();

  subscribe = (listener: () => void): (() => void) => this.value.subscribe(listener);

  /** Applies `action`; true when the state changed (the listeners are told only then). */
  dispatch = (action: A): boolean => {
    const state = this.value.get();
    const next = this.reducer(state, action);
    if (Object.is(next, state)) return false;
    this.value.set(next);
    return true;
  };
}

/** What a component renders from: anything with `subscribe` and `getState` (a Store). */
export interface Readable<S> {
  subscribe(listener: () => void): () => void;
  getState(): S;
}

/** The store's state, re-rendering the component whenever it changes. */
export function useStore<S>(store: Readable<S>): S {
  return useSyncExternalStore(store.subscribe, store.getState);
}
