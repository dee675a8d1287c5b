import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, edit, HISTORY_CAP, redo, resetHistory, undo, undoable, type Undoable } from './undo';

describe('undo history', () => {
  it('undoes and redoes edits in order', () => {
    let h: Undoable<string> = undoable('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = edit(h, 'b');
    h = edit(h, 'c');
    expect(h.present).toBe('c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe('b');
    h = redo(h);
    expect(h.present).toBe('c');
    expect(redo(h)).toBe(h);
  });

  it('an edit after an undo drops the redo branch', () => {
    let h = edit(edit(undoable(1), 2), 3);
    h = edit(undo(h), 4);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(2);
  });

  it('ignores an edit equal to the present', () => {
    const equals = (a: { n: number }, b: { n: number }) => a.n === b.n;
    const h = undoable({ n: 1 });
    expect(edit(h, { n: 1 }, { equals })).toBe(h);
    expect(edit(h, { n: 2 }, { equals }).past).toHaveLength(1);
  });

  it('coalesces rapid edits of the same field into one step', () => {
    let h: Undoable<string> = undoable('');
    let t = 0;
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
      t += 150;
      h = edit(h, text, { field: 'text', at: t });
    }
    expect(h.past).toHaveLength(1);
    h = undo(h);
    expect(h.present).toBe('');
    expect(redo(h).present).toBe('Hello');
  });

  it('does not coalesce across fields, pauses, keyless edits or an undo', () => {
    let h: Undoable<string> = undoable('0');
    h = edit(h, '1', { field: 'text', at: 0 });
    h = edit(h, '2', { field: 'ref_start', at: 100 });
    h = edit(h, '3', { field: 'ref_start', at: 1600 });
    h = edit(h, '4', { at: 1700 });
    h = edit(h, '5', { at: 1800 });
    expect(h.past).toHaveLength(5);
    h = undo(h);
    h = edit(h, '6', { field: 'text', at: 1810 });
    h = edit(h, '7', { field: 'text', at: 1820 });
    expect(h.present).toBe('7');
    expect(undo(h).present).toBe('4');
  });

  it('keeps at most the cap of steps, dropping the oldest', () => {
    expect(HISTORY_CAP).toBe(200);
    let h: Undoable<number> = undoable(0);
    for (let i = 1; i <= 250; i += 1) h = edit(h, i, { at: i * 10_000 });
    expect(h.past).toHaveLength(200);
    while (canUndo(h)) h = undo(h);
    expect(h.present).toBe(50);
  });

  it('reset forgets every step and keeps the other fields', () => {
    let h = { ...edit(undoable('a'), 'b'), other: 1 };
    h = resetHistory(h, 'z');
    expect(h.present).toBe('z');
    expect(h.other).toBe(1);
    expect(canUndo(h) || canRedo(h)).toBe(false);
  });
});
