import { afterEach, describe, expect, it, vi } from 'vitest';
import { editableOf, eventClue, sameDoc, type EditableDoc } from './doc';
import { makeQuestion } from './fixtures';
import { clearLocal, loadLocal, localKey, recoveryFor, saveLocal } from './persistence';

afterEach(() => {
  localStorage.clear();
});

const doc: EditableDoc = { ...editableOf(makeQuestion()), clues: [eventClue(1, 2)] };

describe('journal', () => {
  it('round-trips a document per question', () => {
    expect(loadLocal(7)).toBeNull();
    expect(saveLocal(7, 4, doc, 1234)).toBe(true);
    expect(loadLocal(7)).toEqual({ baseVersion: 4, doc, savedAt: 1234 });
    expect(loadLocal(8)).toBeNull();
    saveLocal(7, 5, { ...doc, text: 'newer' });
    expect(loadLocal(7)?.doc.text).toBe('newer');
    clearLocal(7);
    expect(loadLocal(7)).toBeNull();
  });

  it('ignores what it cannot read', () => {
    localStorage.setItem(localKey(7), '{not json');
    expect(loadLocal(7)).toBeNull();
    localStorage.setItem(localKey(7), JSON.stringify({ baseVersion: 'x', doc }));
    expect(loadLocal(7)).toBeNull();
    localStorage.setItem(localKey(7), JSON.stringify({ baseVersion: 1, doc: { text: 'only text' } }));
    expect(loadLocal(7)).toBeNull();
  });

  it('reports a storage that refuses writes', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(saveLocal(7, 4, doc)).toBe(false);
  });
});

describe('recovery on page load', () => {
  const server = makeQuestion({ version: 4 });
  const same = (d: EditableDoc) => sameDoc(d, editableOf(server));

  it('nothing to do without a journal or with one equal to the server', () => {
    expect(recoveryFor(null, server, same)).toEqual({ kind: 'none' });
    expect(recoveryFor({ baseVersion: 2, doc: editableOf(server), savedAt: 0 }, server, same)).toEqual({ kind: 'none' });
  });

  it('re-applies a journal made on the current version', () => {
    expect(recoveryFor({ baseVersion: 4, doc, savedAt: 0 }, server, same)).toEqual({ kind: 'reapply', doc });
  });

  it('a journal made on an older version is a conflict', () => {
    expect(recoveryFor({ baseVersion: 3, doc, savedAt: 0 }, server, same)).toEqual({ kind: 'conflict', doc, baseVersion: 3 });
  });
});
