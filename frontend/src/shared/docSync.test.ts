import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DocSync, type SaveRequest, type SaveResult } from './docSync';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

// A small versioned document: what the page edits, and what the server answers.
interface Doc {
  text: string;
}
interface Server extends Doc {
  version: number;
  editable: boolean;
}
type Errors = { placed: Record<string, string>; sent: string };

const server = (version: number, text = '', editable = true): Server => ({ version, text, editable });

interface Options {
  start?: Server;
  check?: (doc: Doc) => string | null;
  journal?: boolean;
}

/** The machine over a page whose baseline (what the server has) it moves through the adapter's hooks. */
function setup({ start = server(4), check, journal: withJournal = true }: Options = {}) {
  let doc: Doc = { text: start.text };
  let baseline: Doc = { text: start.text };
  const answers: ((r: SaveResult<Server>) => void)[] = [];
  const save = vi.fn(
    (_version: number, _doc: Doc, _request: SaveRequest) => new Promise<SaveResult<Server>>((resolve) => answers.push(resolve)),
  );
  const journal = { save: vi.fn(), clear: vi.fn() };
  const hooks = {
    saved: vi.fn((sent: Doc) => {
      baseline = sent;
    }),
    rebase: vi.fn((s: Server) => {
      baseline = { text: s.text };
    }),
    reset: vi.fn((s: Server) => {
      baseline = { text: s.text };
      doc = { text: s.text };
    }),
  };
  const sync = new DocSync<Doc, Server, Errors>(start, {
    save,
    getDoc: () => doc,
    isDirty: () => doc.text !== baseline.text,
    ...hooks,
    isEditable: (s) => s.editable,
    placeErrors: (sent, errors) => ({ placed: errors, sent: sent.text }),
    noErrors: { placed: {}, sent: '' },
    ...(check === undefined ? {} : { check }),
    ...(withJournal ? { journal } : {}),
    debounceMs: 800,
  });
  const edit = (text: string) => {
    doc = { text };
    sync.changed();
  };
  const answer = async (result: SaveResult<Server>) => {
    answers.shift()!(result);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { sync, save, journal, hooks, edit, answer, current: () => doc };
}

const ok = (version: number, text = ''): SaveResult<Server> => ({ kind: 'ok', doc: server(version, text) });
const plain = { keepalive: false, finish: false };

describe('DocSync: autosave', () => {
  it('journals at once and saves once after the debounce', async () => {
    const { sync, save, journal, hooks, edit, answer } = setup();
    edit('a');
    edit('ab');
    expect(journal.save).toHaveBeenLastCalledWith(4, { text: 'ab' });
    expect(sync.getSnapshot().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(799);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledExactlyOnceWith(4, { text: 'ab' }, plain);
    expect(sync.getSnapshot().status).toBe('saving');
    await answer(ok(5, 'ab'));
    expect(hooks.saved).toHaveBeenCalledWith({ text: 'ab' }, server(5, 'ab'), false);
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 5, server: server(5, 'ab') });
    expect(journal.clear).toHaveBeenCalled();
  });

  it('sends edits made during a save with the next version', async () => {
    const { sync, save, journal, edit, answer } = setup();
    edit('one');
    await vi.advanceTimersByTimeAsync(800);
    edit('two');
    await answer(ok(5, 'one'));
    expect(sync.getSnapshot()).toMatchObject({ status: 'pending', version: 5 });
    expect(journal.save).toHaveBeenLastCalledWith(5, { text: 'two' });
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenLastCalledWith(5, { text: 'two' }, plain);
  });

  it('one request at a time: a flush during a save waits for it', async () => {
    const { sync, save, edit, answer } = setup();
    edit('one');
    const first = sync.flush();
    edit('two');
    const second = sync.flush();
    expect(save).toHaveBeenCalledTimes(1);
    await answer(ok(5, 'one'));
    expect(await first).toBe(false);
    expect(save).toHaveBeenCalledTimes(2);
    expect(save).toHaveBeenLastCalledWith(5, { text: 'two' }, plain);
    await answer(ok(6, 'two'));
    expect(await second).toBe(true);
  });

  it('sends a save that outlives the page when asked', async () => {
    const { sync, save, edit } = setup();
    edit('bye');
    void sync.flush({ keepalive: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledWith(4, { text: 'bye' }, { keepalive: true, finish: false });
  });

  it('retries offline saves with a growing delay, and at once when back online', async () => {
    const { sync, save, edit, answer } = setup();
    edit('x');
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
    await answer(ok(5, 'x'));
    expect(sync.getSnapshot().status).toBe('saved');
  });

  it('retries server errors marked so, and keeps the message', async () => {
    const { sync, save, edit, answer } = setup();
    edit('x');
    await vi.advanceTimersByTimeAsync(800);
    await answer({ kind: 'error', message: 'Busy (HTTP 503)', retry: true });
    expect(sync.getSnapshot()).toMatchObject({ status: 'error', message: 'Busy (HTTP 503)' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
    await answer({ kind: 'error', message: 'Forbidden', retry: false, status: 403 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('keeps the 400 errors, placed by the adapter, and waits for the next change', async () => {
    const { sync, save, edit, answer } = setup();
    edit('x');
    await vi.advanceTimersByTimeAsync(800);
    await answer({ kind: 'invalid', detail: 'Bad', errors: { 'clues[0]': 'No.' } });
    expect(sync.getSnapshot()).toMatchObject({
      status: 'invalid',
      errors: { placed: { 'clues[0]': 'No.' }, sent: 'x' },
      message: 'Bad',
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(save).toHaveBeenCalledTimes(1);
    edit('y');
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('an edit undone back to the saved document needs no save, and clears what was wrong', async () => {
    const { sync, save, journal, edit, answer } = setup();
    edit('x');
    await vi.advanceTimersByTimeAsync(800);
    await answer({ kind: 'invalid', detail: 'Bad', errors: { text: 'No.' } });
    edit('');
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', message: null, errors: { placed: {} } });
    expect(journal.clear).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('saves nothing for a document the server does not let this user edit', async () => {
    const { sync, save, journal, edit } = setup({ start: server(4, '', false) });
    edit('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
    expect(journal.save).not.toHaveBeenCalled();
    expect(sync.editable).toBe(false);
    expect(await sync.flush()).toBe(false);
  });

  it('works without a journal', async () => {
    const { sync, save, edit, answer } = setup({ journal: false });
    edit('x');
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenCalledOnce();
    await answer(ok(5, 'x'));
    expect(sync.getSnapshot().status).toBe('saved');
  });

  it('stops after dispose, and works again after start', async () => {
    const { sync, save, edit } = setup();
    edit('x');
    sync.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).not.toHaveBeenCalled();
    sync.start();
    edit('y');
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenCalledOnce();
  });
});

describe('DocSync: 409 conflicts', () => {
  async function conflicted(theirs = server(9, 'theirs')) {
    const setupResult = setup();
    setupResult.edit('mine');
    await vi.advanceTimersByTimeAsync(800);
    await setupResult.answer({ kind: 'conflict', current: theirs, message: 'stale' });
    return { ...setupResult, theirs };
  }

  it('stops on a conflict until re-applied, keeping the local edits', async () => {
    const { sync, save, hooks, edit, answer, current, theirs } = await conflicted();
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', conflict: { current: theirs, message: 'stale' } });
    edit('mine 2');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    void sync.reapply();
    expect(hooks.rebase).toHaveBeenCalledWith(theirs);
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenLastCalledWith(9, { text: 'mine 2' }, plain);
    await answer(ok(10, 'mine 2'));
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 10, conflict: null });
    expect(current().text).toBe('mine 2');
  });

  it('discard adopts the server document and forgets the journal', async () => {
    const { sync, journal, hooks, current, theirs } = await conflicted();
    expect(sync.discard()).toBe(true);
    expect(hooks.reset).toHaveBeenCalledWith(theirs);
    expect(current().text).toBe('theirs');
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 9, conflict: null, server: theirs });
    expect(journal.clear).toHaveBeenCalled();
    expect(sync.discard()).toBe(false);
  });

  it('a newer version that can no longer be edited locks the document', async () => {
    const { sync, save } = await conflicted(server(9, 'closed', false));
    expect(sync.locked).toBe(true);
    expect(sync.editable).toBe(false);
    expect(await sync.reapply()).toBe(false);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('enterConflict shows a version found elsewhere (a journal made on an older one)', () => {
    const { sync } = setup();
    sync.enterConflict(server(4), 'Changes kept in this browser were made on version 2', 2);
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', version: 2 });
  });
});

describe('DocSync: local checks and finishing saves', () => {
  it('sends nothing while the local checks fail', async () => {
    const { sync, save, edit } = setup({ check: (doc) => (doc.text === '' ? 'Write something.' : null) });
    edit('x');
    edit('');
    // Back to the server's document: nothing to check or send.
    expect(sync.getSnapshot().status).toBe('saved');
    const bad = setup({ start: server(4, 'x'), check: (doc) => (doc.text === '' ? 'Write something.' : null) });
    bad.edit('');
    await vi.advanceTimersByTimeAsync(800);
    expect(bad.save).not.toHaveBeenCalled();
    expect(bad.sync.getSnapshot()).toMatchObject({ status: 'invalid', message: 'Write something.' });
    expect(save).not.toHaveBeenCalled();
  });

  it('a finishing save is flagged, blocks other saves and records its version', async () => {
    const { sync, save, hooks, edit, answer } = setup();
    edit('final');
    const finished = sync.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledExactlyOnceWith(4, { text: 'final' }, { keepalive: false, finish: true });
    expect(sync.getSnapshot()).toMatchObject({ status: 'saving', finishing: true });
    expect(await sync.finish()).toBe(false);
    await answer(ok(5, 'final'));
    expect(await finished).toBe(true);
    expect(hooks.saved).toHaveBeenCalledWith({ text: 'final' }, server(5, 'final'), true);
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', finishing: false, finishedVersion: 5 });
  });

  it('a finishing save waits for the save in flight and refuses on a conflict', async () => {
    const { sync, save, edit, answer } = setup();
    edit('a');
    void sync.flush();
    const finished = sync.finish();
    expect(save).toHaveBeenCalledTimes(1);
    await answer({ kind: 'conflict', current: server(7, 'b'), message: 'stale' });
    expect(await finished).toBe(false);
    expect(save).toHaveBeenCalledTimes(1);
  });
});
