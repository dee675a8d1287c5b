import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveResult } from '../shared/docSync';
import { makeDoc } from './fixtures';
import { DEBOUNCE_MS, LOCAL_INVALID_MESSAGE, startReview } from './session';
import type { EventDoc, PutBody } from './types';

// The event review's document over the shared DocSync: the working copy in its reducer store, PUT bodies, accept.

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(doc: EventDoc = makeDoc()) {
  const answers: ((r: SaveResult<EventDoc>) => void)[] = [];
  const save = vi.fn((_body: PutBody, _options: { keepalive?: boolean }) =>
    new Promise<SaveResult<EventDoc>>((resolve) => answers.push(resolve)),
  );
  const session = startReview(doc, save);
  session.sync.start();
  const answer = async (result: SaveResult<EventDoc>) => {
    answers.shift()!(result);
    await vi.advanceTimersByTimeAsync(0);
  };
  const rename = (name: string, objectKey = 'o7') => {
    session.store.dispatch({ type: 'rename', objectKey, name });
    session.sync.changed();
  };
  return { ...session, save, answer, rename };
}

/** The server's answer to a save that renamed the dog. */
const renamed = (version: number, name: string, patch: Partial<EventDoc> = {}): EventDoc => {
  const doc = makeDoc({ version, ...patch });
  return { ...doc, objects: doc.objects.map((o) => (o.id === 7 ? { ...o, name } : o)) };
};

describe('the event review document', () => {
  it('PUTs the whole working copy with its version after the debounce', async () => {
    const { sync, save, rename, answer } = setup();
    rename('puppy');
    expect(sync.getSnapshot().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    const [body, options] = save.mock.calls[0]!;
    expect(body).toMatchObject({ version: 3, accept: false, objects: [{ id: 7, name: 'puppy' }, { id: 8 }] });
    expect(options).toEqual({ keepalive: false });
    await answer({ kind: 'ok', doc: renamed(4, 'puppy') });
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 4 });
    expect(sync.dirty).toBe(false);
  });

  it('the server ids of new items come back into the working copy', async () => {
    const { store, sync, save, answer } = setup();
    store.dispatch({ type: 'addObject', name: 'ball' });
    sync.changed();
    void sync.flush();
    expect(save.mock.calls[0]![0].objects[2]).toMatchObject({ id: null, name: 'ball' });
    const server = makeDoc({ version: 4 });
    server.objects.push({ id: 30, name: 'ball', audibility: 'audible', source: 'human', state: 'proposed', boxes: [] });
    await answer({ kind: 'ok', doc: server });
    expect(store.getState().present.objects[2]).toMatchObject({ id: 30, name: 'ball' });
    expect(sync.dirty).toBe(false);
  });

  it('sends nothing while a local check fails', async () => {
    const { sync, save, rename } = setup();
    rename('man');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(save).not.toHaveBeenCalled();
    expect(sync.getSnapshot()).toMatchObject({ status: 'invalid', message: LOCAL_INVALID_MESSAGE });
  });

  it('places the 400 messages on the objects they name', async () => {
    const { sync, rename, answer } = setup();
    rename('puppy');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    await answer({ kind: 'invalid', detail: 'Invalid.', errors: { 'objects[0].name': 'Taken.', other: 'Odd.' } });
    expect(sync.getSnapshot()).toMatchObject({
      status: 'invalid',
      message: 'Invalid.',
      errors: { objects: { o7: ['Taken.'] }, general: ['other: Odd.'] },
    });
  });

  it('accept saves with accept: true and adopts the accepted event', async () => {
    const { store, sync, save, rename, answer } = setup();
    rename('puppy');
    const accepted = sync.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(save.mock.calls[0]![0]).toMatchObject({ version: 3, accept: true });
    expect(sync.getSnapshot().finishing).toBe(true);
    await answer({ kind: 'ok', doc: renamed(4, 'puppy', { state: 'accepted', editable: false }) });
    expect(await accepted).toBe(true);
    expect(sync.getSnapshot()).toMatchObject({ finishing: false, finishedVersion: 4, server: { state: 'accepted' } });
    expect(store.getState()).toMatchObject({ past: [], present: { objects: [{ name: 'puppy' }, { name: 'man' }] } });
    expect(sync.editable).toBe(false);
  });

  it('409: re-apply sends ours on the newer version; discard shows theirs', async () => {
    const { store, sync, save, rename, answer } = setup();
    rename('puppy');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    await answer({ kind: 'conflict', current: renamed(5, 'hound'), message: 'stale' });
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', conflict: { current: { version: 5 } } });
    void sync.reapply();
    await vi.advanceTimersByTimeAsync(0);
    expect(save.mock.calls[1]![0]).toMatchObject({ version: 5, objects: [{ id: 7, name: 'puppy' }, { id: 8 }] });
    await answer({ kind: 'conflict', current: renamed(6, 'hound'), message: 'stale again' });
    expect(sync.discard()).toBe(true);
    expect(store.getState().present.objects[0]!.name).toBe('hound');
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 6, conflict: null });
  });

  it('a newer version that can no longer be edited locks the page', async () => {
    const { sync, rename, answer } = setup();
    rename('puppy');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    await answer({ kind: 'conflict', current: makeDoc({ version: 5, state: 'accepted', editable: false }), message: 'accepted' });
    expect(sync.locked).toBe(true);
    expect(await sync.reapply()).toBe(false);
  });
});
