import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Store, useStore } from './store';

type Action = { type: 'add'; n: number } | { type: 'noop' };
const reducer = (state: { count: number }, action: Action) =>
  action.type === 'add' ? { count: state.count + action.n } : state;

afterEach(cleanup);

describe('Store', () => {
  it('applies actions and tells the listeners only of changes', () => {
    const store = new Store(reducer, { count: 0 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    expect(store.dispatch({ type: 'add', n: 2 })).toBe(true);
    expect(store.getState()).toEqual({ count: 2 });
    expect(store.dispatch({ type: 'noop' })).toBe(false);
    expect(listener).toHaveBeenCalledOnce();
    unsubscribe();
    store.dispatch({ type: 'add', n: 1 });
    expect(listener).toHaveBeenCalledOnce();
  });

  it('has bound methods', () => {
    const store = new Store(reducer, { count: 1 });
    const { dispatch, getState } = store;
    dispatch({ type: 'add', n: 1 });
    expect(getState().count).toBe(2);
  });
});

describe('useStore', () => {
  it('renders the newest state', () => {
    const store = new Store(reducer, { count: 0 });
    function Counter() {
      const { count } = useStore(store);
      return <span data-testid="count">{count}</span>;
    }
    render(<Counter />);
    expect(screen.getByTestId('count').textContent).toBe('0');
    act(() => {
      store.dispatch({ type: 'add', n: 5 });
    });
    expect(screen.getByTestId('count').textContent).toBe('5');
  });
});
