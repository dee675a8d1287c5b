import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveResult } from './api';
import { editableOf, type EditableDoc } from './doc';
import { makeQuestion } from './fixtures';
import { DocSync, isEditable } from './sync';
import type { QuestionDoc } from './types';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(server: QuestionDoc = makeQuestion()) {
  let doc: EditableDoc = editableOf(server);
  const answers: ((r: SaveResult) => void)[] = [];
  const save = vi.fn((_version: number, _doc: EditableDoc) => new Promise<SaveResult>((resolve) => answers.push(resolve)));
  const journal = { save: vi.fn(), clear: vi.fn() };
  const sync = new DocSync(server, { save, getDoc: () => doc, journal, canAnnotate: true });
  const edit = (patch: Partial<EditableDoc>) => {
    doc = { ...doc, ...patch };
    sync.changed();
  };
  const answer = async (result: SaveResult) => {
    answers.shift()!(result);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { sync, save, journal, edit, answer, current: () => doc };
}

const saved = (version: number, patch: Partial<QuestionDoc> = {}): SaveResult => ({
  kind: 'ok',
  doc: makeQuestion({ version, ...patch }),
});

describe('DocSync', () => {
  it('journals at once and saves once after the debounce', async () => {
    const { sync, save, journal, edit, answer } = setup();
    edit({ text: 'a' });
    edit({ text: 'ab' });
    expect(journal.save).toHaveBeenLastCalledWith(4, expect.objectContaining({ text: 'ab' }));
    expect(sync.getSnapshot().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(799);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledExactlyOnceWith(4, expect.objectContaining({ text: 'ab' }));
    expect(sync.getSnapshot().status).toBe('saving');
    await answer(saved(5, { text: 'ab' }));
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', baseVersion: 5 });
    expect(journal.clear).toHaveBeenCalled();
  });

  it('sends edits made during a save with the next version', async () => {
    const { sync, save, journal, edit, answer } = setup();
    edit({ text: 'one' });
    await vi.advanceTimersByTimeAsync(800);
    edit({ text: 'two' });
    await answer(saved(5, { text: 'one' }));
    expect(sync.getSnapshot()).toMatchObject({ status: 'pending', baseVersion: 5 });
    expect(journal.save).toHaveBeenLastCalledWith(5, expect.objectContaining({ text: 'two' }));
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenLastCalledWith(5, expect.objectContaining({ text: 'two' }));
  });

  it('one request at a time: a flush during a save waits for it', async () => {
    const { sync, save, edit, answer } = setup();
    edit({ text: 'one' });
    const first = sync.flush();
    edit({ text: 'two' });
    const second = sync.flush();
    expect(save).toHaveBeenCalledTimes(1);
    await answer(saved(5));
    expect(await first).toBe(false);
    expect(save).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenLastCalledWith(5, expect.objectContaining({ text: 'two' }));
    await answer(saved(6));
    expect(await second).toBe(true);
  });

  it('retries offline saves with a growing delay, and at once when back online', async () => {
    const { sync, save, edit, answer } = setup();
    edit({ text: 'x' });
    await vi.advanceTimersByTimeAsync(800);
    await answer({ kind: 'offline' });
    expect(sync.getSnapshot().status).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
    await answer({ kind: 'offline' });
    await vi.advanceTimersByTimeAsync(1999);
    expect(save).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(3);
    await answer({ kind: 'offline' });
    sync.online();
    expect(save).toHaveBeenCalledTimes(4);
    await answer(saved(5, { text: 'x' }));
    expect(sync.getSnapshot().status).toBe('saved');
  });

  it('stops on a conflict until re-applied or discarded', async () => {
    const { sync, save, edit, answer, current } = setup();
    edit({ text: 'mine' });
    await vi.advanceTimersByTimeAsync(800);
    const theirs = makeQuestion({ version: 9, text: 'theirs' });
    await answer({ kind: 'conflict', current: theirs, message: 'stale' });
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', conflict: { current: theirs } });
    edit({ text: 'mine 2' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    void sync.reapply();
    expect(save).toHaveBeenLastCalledWith(9, expect.objectContaining({ text: 'mine 2' }));
    await answer(saved(10, { text: 'mine 2' }));
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', baseVersion: 10, conflict: null });
    expect(current().text).toBe('mine 2');
  });

  it('discard returns the server document and forgets the journal', async () => {
    const { sync, journal, edit, answer } = setup();
    edit({ text: 'mine' });
    await vi.advanceTimersByTimeAsync(800);
    const theirs = makeQuestion({ version: 9, text: 'theirs' });
    await answer({ kind: 'conflict', current: theirs, message: 'stale' });
    expect(sync.discard()).toEqual(editableOf(theirs));
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', baseVersion: 9, conflict: null });
    expect(journal.clear).toHaveBeenCalled();
  });

  it('keeps the 400 errors and waits for the next change', async () => {
    const { sync, save, edit, answer } = setup();
    edit({ text: 'x' });
    await vi.advanceTimersByTimeAsync(800);
    await answer({ kind: 'invalid', errors: { detail: 'Bad', errors: { 'clues[0]': 'No.' } } });
    expect(sync.getSnapshot()).toMatchObject({ status: 'invalid', errors: { 'clues[0]': 'No.' }, message: 'Bad' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(save).toHaveBeenCalledTimes(1);
    edit({ text: 'y' });
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('an edit undone back to the saved document needs no save', async () => {
    const { sync, save, edit } = setup();
    const before = editableOf(makeQuestion());
    edit({ text: 'x' });
    edit(before);
    expect(sync.getSnapshot().status).toBe('saved');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
  });

  it('saves nothing for a reader or a submitted question', async () => {
    const pooled = setup(makeQuestion({ state: 'pooled' }));
    pooled.edit({ text: 'x' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(pooled.save).not.toHaveBeenCalled();
    expect(pooled.journal.save).not.toHaveBeenCalled();
    expect(await pooled.sync.flush()).toBe(false);
  });
});

describe('isEditable', () => {
  it('takes the server word over the state', () => {
    expect(isEditable({ state: 'arbitration', editable: true })).toBe(true);
    expect(isEditable({ state: 'answered', editable: false })).toBe(false);
    expect(isEditable({ state: 'draft' })).toBe(true);
    expect(isEditable({ state: 'pooled' })).toBe(false);
  });
});
