import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { editableOf, type EditableDoc } from './doc';
import { docReducer, initialDocState, isDirty } from './docState';
import { jsonResponse, makeData, makeQuestion } from './fixtures';
import { loadLocal, saveLocal } from './persistence';
import { DEBOUNCE_MS, isEditable, startSession } from './session';
import type { QuestionDoc } from './types';

// The workspace's document over the shared DocSync: the question, its journal in localStorage, its baseline.

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  localStorage.clear();
  vi.useRealTimers();
});

function setup(question: Partial<QuestionDoc> = {}, canAnnotate = true) {
  const fetchImpl = vi.fn<typeof fetch>();
  const data = makeData(question, { can_annotate: canAnnotate });
  const session = startSession(data, { current: fetchImpl });
  session.sync.start();
  const edit = (patch: Partial<EditableDoc>, field: string | null = null) => {
    session.doc.dispatch({ type: 'edit', doc: { ...session.doc.getState().present, ...patch }, field });
    session.sync.changed();
  };
  const sent = (index = -1) => JSON.parse(String(fetchImpl.mock.calls.at(index)![1]!.body)) as Record<string, unknown>;
  return { ...session, fetchImpl, edit, sent, questionId: data.question.id };
}

describe('the workspace document', () => {
  it('journals each edit with its version and PUTs it after the debounce', async () => {
    const { sync, fetchImpl, edit, sent, questionId } = setup();
    edit({ text: 'a' }, 'text');
    edit({ text: 'ab' }, 'text');
    expect(loadLocal(questionId)).toMatchObject({ baseVersion: 4, doc: { text: 'ab' } });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS - 1);
    expect(fetchImpl).not.toHaveBeenCalled();
    fetchImpl.mockResolvedValue(jsonResponse(makeQuestion({ version: 5, text: 'ab' })));
    await vi.advanceTimersByTimeAsync(1);
    expect(sent()).toMatchObject({ version: 4, text: 'ab' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 5 });
    expect(loadLocal(questionId)).toBeNull();
  });

  it('a 400 keeps the server messages keyed as they came', async () => {
    const { sync, fetchImpl, edit } = setup();
    fetchImpl.mockResolvedValue(jsonResponse({ detail: 'Bad', errors: { 'clues[0]': 'No.' } }, 400));
    edit({ text: 'x' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(sync.getSnapshot()).toMatchObject({ status: 'invalid', errors: { 'clues[0]': 'No.' }, message: 'Bad' });
  });

  it('409: re-apply keeps our edits on the newer version; discard shows theirs with no history', async () => {
    const { sync, doc, fetchImpl, edit, sent } = setup();
    const theirs = makeQuestion({ version: 9, text: 'theirs' });
    fetchImpl.mockResolvedValue(jsonResponse({ detail: 'stale', current: theirs }, 409));
    edit({ text: 'mine' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', conflict: { current: theirs } });
    expect(doc.getState().present.text).toBe('mine');
    fetchImpl.mockResolvedValue(jsonResponse(makeQuestion({ version: 10, text: 'mine' })));
    void sync.reapply();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent()).toMatchObject({ version: 9, text: 'mine' });
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 10 });

    fetchImpl.mockResolvedValue(jsonResponse({ detail: 'stale', current: makeQuestion({ version: 12, text: 'theirs' }) }, 409));
    edit({ text: 'mine again' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(sync.discard()).toBe(true);
    expect(doc.getState()).toMatchObject({ present: { text: 'theirs' }, past: [], future: [] });
    expect(sync.getSnapshot()).toMatchObject({ status: 'saved', version: 12, conflict: null });
    expect(sync.dirty).toBe(false);
  });

  it('re-applies a journal made on the current version', () => {
    const question = makeQuestion();
    saveLocal(question.id, question.version, { ...editableOf(question), text: 'kept' });
    const { doc, resend, sync } = setup();
    expect(resend).toBe(true);
    expect(doc.getState().present.text).toBe('kept');
    expect(sync.dirty).toBe(true);
  });

  it('shows a journal made on an older version as a conflict on that version', () => {
    const question = makeQuestion();
    saveLocal(question.id, 2, { ...editableOf(question), text: 'old' });
    const { sync, doc } = setup();
    expect(sync.getSnapshot()).toMatchObject({ status: 'conflict', version: 2, conflict: { current: { version: 4 } } });
    expect(doc.getState().present.text).toBe('old');
  });

  it('saves nothing for a reader or a submitted question, and leaves their journal alone', async () => {
    const question = makeQuestion();
    saveLocal(question.id, question.version, { ...editableOf(question), text: 'kept' });
    for (const reader of [setup({}, false), setup({ state: 'pooled' })]) {
      expect(reader.sync.editable).toBe(false);
      reader.edit({ text: 'x' });
      await vi.advanceTimersByTimeAsync(1000);
      expect(reader.fetchImpl).not.toHaveBeenCalled();
      expect(await reader.sync.flush()).toBe(false);
    }
    expect(loadLocal(question.id)).toMatchObject({ doc: { text: 'kept' } });
  });
});

describe('docReducer', () => {
  const question = makeQuestion();
  const start = initialDocState(editableOf(question), question);

  it('tracks the edits against what the server holds', () => {
    const edited = docReducer(start, { type: 'edit', doc: { ...start.present, text: 'x' } });
    expect(isDirty(edited)).toBe(true);
    expect(isDirty(docReducer(edited, { type: 'saved', sent: edited.present }))).toBe(false);
    expect(isDirty(docReducer(edited, { type: 'undo' }))).toBe(false);
    expect(docReducer(start, { type: 'edit', doc: editableOf(question) })).toBe(start);
  });

  it('rebases the edits and resets to a server document', () => {
    const edited = docReducer(start, { type: 'edit', doc: { ...start.present, text: 'x' } });
    const theirs = makeQuestion({ version: 9, text: 'x' });
    expect(isDirty(docReducer(edited, { type: 'rebase', server: theirs }))).toBe(false);
    const reset = docReducer(edited, { type: 'reset', server: makeQuestion({ version: 9, text: 'y' }) });
    expect(reset).toMatchObject({ present: { text: 'y' }, saved: { text: 'y' }, past: [] });
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
