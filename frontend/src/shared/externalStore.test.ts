import { describe, expect, it, vi } from 'vitest';
import { ExternalStore } from './externalStore';

describe('ExternalStore', () => {
  it('keeps the same object until it is replaced', () => {
    const store = new ExternalStore({ a: 1, b: 'x' });
    const first = store.get();
    expect(store.get()).toBe(first);
    store.patch({ b: 'y' });
    expect(store.get()).not.toBe(first);
    expect(store.get()).toEqual({ a: 1, b: 'y' });
    expect(first).toEqual({ a: 1, b: 'x' });
    const next = { a: 2, b: 'z' };
    store.set(next);
    expect(store.get()).toBe(next);
  });

  it('tells each listener of each change until it unsubscribes; the methods are bound', () => {
    const store = new ExternalStore(0);
    const { subscribe, get } = store;
    const one = vi.fn();
    const two = vi.fn(() => expect(get()).toBe(1));
    const unsubscribe = subscribe(one);
    subscribe(two);
    store.set(1);
    expect(one).toHaveBeenCalledTimes(1);
    expect(two).toHaveBeenCalledTimes(1);
    unsubscribe();
    two.mockImplementation(() => undefined);
    store.set(2);
    expect(one).toHaveBeenCalledTimes(1);
    expect(two).toHaveBeenCalledTimes(2);
  });
});
