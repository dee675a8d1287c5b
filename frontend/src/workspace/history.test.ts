import { describe, expect, it } from 'vitest';
import { History, HISTORY_CAP } from './history';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('History', () => {
  it('undoes and redoes pushes in order', () => {
    const h = new History('a');
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBeNull();
    h.push('b');
    h.push('c');
    expect(h.present).toBe('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toBe('b');
    expect(h.redo()).toBe('c');
    expect(h.redo()).toBeNull();
  });

  it('a push after an undo drops the redo branch', () => {
    const h = new History(1);
    h.push(2);
    h.push(3);
    h.undo();
    h.push(4);
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe(2);
  });

  it('ignores a push equal to the present', () => {
    const h = new History({ n: 1 }, { equals: (a, b) => a.n === b.n });
    h.push({ n: 1 });
    expect(h.canUndo).toBe(false);
    h.push({ n: 2 });
    expect(h.depth).toBe(1);
  });

  it('coalesces rapid edits of the same field into one step', () => {
    const c = clock();
    const h = new History('', { now: c.now, coalesceMs: 1000 });
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
      c.advance(150);
      h.push(text, 'text');
    }
    expect(h.depth).toBe(1);
    expect(h.undo()).toBe('');
    expect(h.redo()).toBe('Hello');
  });

  it('does not coalesce across fields, pauses, keyless pushes or an undo', () => {
    const c = clock();
    const h = new History('0', { now: c.now, coalesceMs: 1000 });
    h.push('1', 'text');
    c.advance(100);
    h.push('2', 'ref_start');
    c.advance(1500);
    h.push('3', 'ref_start');
    c.advance(100);
    h.push('4');
    c.advance(100);
    h.push('5');
    expect(h.depth).toBe(5);
    h.undo();
    c.advance(10);
    h.push('6', 'text');
    c.advance(10);
    h.push('7', 'text');
    expect(h.present).toBe('7');
    expect(h.undo()).toBe('4');
  });

  it('keeps at most the cap of steps, dropping the oldest', () => {
    expect(HISTORY_CAP).toBe(200);
    const h = new History(0);
    for (let i = 1; i <= 250; i += 1) h.push(i);
    expect(h.depth).toBe(200);
    let last: number | null = null;
    while (h.canUndo) last = h.undo();
    expect(last).toBe(50);
  });

  it('reset forgets every step', () => {
    const h = new History('a');
    h.push('b');
    h.reset('z');
    expect(h.present).toBe('z');
    expect(h.canUndo || h.canRedo).toBe(false);
  });
});
