import { describe, expect, it } from 'vitest';
import { makeCandidate } from './fixtures';
import { changedFields, draftFromCandidate, newDraft, splitFieldErrors, validateDraft, type Draft } from './draft';
import { countByFilter, filterCandidates, moveSelection, replaceCandidate, reselect } from './list';
import { failureAction } from './requests';
import { CONFLICT_NOTICE, FORM_OPEN_NOTICE, initialState, isFormDirty, reducer, type Stage1State } from './state';

const p1 = makeCandidate({ id: 1 });
const a2 = makeCandidate({ id: 2, state: 'accepted', question: 9 });
const p3 = makeCandidate({ id: 3 });
const r4 = makeCandidate({ id: 4, state: 'rejected', reject_reason: 'dup' });
const p5 = makeCandidate({ id: 5 });
const ALL = [p1, a2, p3, r4, p5];
const ids = (list: { id: number }[]) => list.map((c) => c.id);

describe('filtering and counts', () => {
  it('filters by state, all keeps everything in order', () => {
    expect(ids(filterCandidates(ALL, 'proposed'))).toEqual([1, 3, 5]);
    expect(ids(filterCandidates(ALL, 'accepted'))).toEqual([2]);
    expect(ids(filterCandidates(ALL, 'rejected'))).toEqual([4]);
    expect(ids(filterCandidates(ALL, 'all'))).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts per filter', () => {
    expect(countByFilter(ALL)).toEqual({ all: 5, proposed: 3, accepted: 1, rejected: 1 });
    expect(countByFilter([])).toEqual({ all: 0, proposed: 0, accepted: 0, rejected: 0 });
  });
});

describe('replaceCandidate', () => {
  it('replaces in place without mutating', () => {
    const updated = { ...p3, text: 'new', version: 2 };
    const next = replaceCandidate(ALL, updated);
    expect(ids(next)).toEqual([1, 2, 3, 4, 5]);
    expect(next[2]).toBe(updated);
    expect(ALL[2]).toBe(p3);
  });

  it('appends an unknown candidate', () => {
    expect(ids(replaceCandidate(ALL, makeCandidate({ id: 9 })))).toEqual([1, 2, 3, 4, 5, 9]);
  });
});

describe('moveSelection', () => {
  const visible = [p1, p3, p5];
  it('moves and clamps at the ends', () => {
    expect(moveSelection(visible, 1, 1)).toBe(3);
    expect(moveSelection(visible, 3, 1)).toBe(5);
    expect(moveSelection(visible, 5, 1)).toBe(5);
    expect(moveSelection(visible, 3, -1)).toBe(1);
    expect(moveSelection(visible, 1, -1)).toBe(1);
  });

  it('picks an end when nothing visible is selected', () => {
    expect(moveSelection(visible, null, 1)).toBe(1);
    expect(moveSelection(visible, 2, -1)).toBe(5);
    expect(moveSelection([], 1, 1)).toBeNull();
  });
});

describe('reselect', () => {
  it('keeps a row that is still visible', () => {
    expect(reselect([p1, p3, p5], [p1, p3, p5], 3)).toBe(3);
  });

  it('moves to the row that took the place of a row that left', () => {
    expect(reselect([p1, p3, p5], [p1, p5], 3)).toBe(5);
    expect(reselect([p1, p3, p5], [p1, p3], 5)).toBe(3);
    expect(reselect([p1, p3, p5], [p3, p5], 1)).toBe(3);
  });

  it('falls back to the first row, or null when empty', () => {
    expect(reselect([], [p3, p5], 1)).toBe(3);
    expect(reselect([p1], [], 1)).toBeNull();
  });
});

describe('drafts', () => {
  it('round-trips a candidate', () => {
    expect(draftFromCandidate(p1)).toEqual({
      text: p1.text,
      category: 'event',
      modality: 'A',
      query_start: '2',
      query_end: '4.5',
    });
  });

  it('defaults a new question to the whole video', () => {
    expect(newDraft(60)).toMatchObject({ text: '', query_start: '0', query_end: '60' });
    expect(newDraft(null)).toMatchObject({ query_start: '', query_end: '' });
  });

  const draft = (over: Partial<Draft>): Draft => ({ ...draftFromCandidate(p1), ...over });

  it('validates and converts', () => {
    expect(validateDraft(draft({ text: '  Count the cars  ' }), 60)).toEqual({
      ok: true,
      fields: { text: 'Count the cars', category: 'event', modality: 'A', query_start: 2, query_end: 4.5 },
    });
    expect(validateDraft(draft({ query_start: '', query_end: '' }), 60)).toMatchObject({
      ok: true,
      fields: { query_start: null, query_end: null },
    });
  });

  it.each<[Partial<Draft>, string, RegExp]>([
    [{ text: '   ' }, 'text', /Enter the question/],
    [{ query_start: 'x' }, 'query_start', /number of seconds/],
    [{ query_end: '' }, 'query_end', /both ends/],
    [{ query_start: '-1' }, 'query_start', /negative/],
    [{ query_start: '5', query_end: '5' }, 'query_end', /after the start/],
    [{ query_end: '61' }, 'query_end', /after the end of the video \(01:00.0\)/],
  ])('rejects %j', (over, field, message) => {
    const result = validateDraft(draft(over), 60);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.fieldErrors[field]?.join(' ')).toMatch(message);
    }
  });

  it('sends only what changed, both interval ends together', () => {
    const check = (d: Draft) => {
      const v = validateDraft(d, 60);
      if (!v.ok) throw new Error('invalid');
      return changedFields(p1, d, v.fields);
    };
    expect(check(draft({}))).toEqual({});
    expect(check(draft({ text: 'Other?' }))).toEqual({ text: 'Other?' });
    expect(check(draft({ modality: 'AV', category: 'object' }))).toEqual({ modality: 'AV', category: 'object' });
    expect(check(draft({ query_end: '6' }))).toEqual({ query_start: 2, query_end: 6 });
    // A precise value shown rounded is not a change.
    const precise = makeCandidate({ query_start: 2.12345 });
    const d = draftFromCandidate(precise);
    const v = validateDraft(d, 60);
    expect(v.ok && changedFields(precise, d, v.fields)).toEqual({});
  });
});

describe('failureAction and splitFieldErrors', () => {
  it('splits known fields from the rest', () => {
    expect(splitFieldErrors({ text: ['a'], version: ['b'] }, ['text'])).toEqual({
      shown: { text: ['a'] },
      rest: { version: ['b'] },
    });
  });

  it('puts form field errors next to fields and the rest in the message', () => {
    expect(
      failureAction(3, 'edit', { message: 'x', fieldErrors: { query_end: ['bad'], non_field_errors: ['nope'] } }),
    ).toEqual({ type: 'requestFailed', key: 3, kind: 'edit', message: 'nope', fieldErrors: { query_end: ['bad'] } });
    expect(failureAction(3, 'create', { message: 'x', fieldErrors: { text: ['empty'] } })).toMatchObject({
      message: '',
      fieldErrors: { text: ['empty'] },
    });
    expect(failureAction(3, 'edit', { message: 'Denied', fieldErrors: {} })).toMatchObject({ message: 'Denied' });
  });

  it('shows a rejection reason error as the message', () => {
    expect(failureAction(3, 'reject', { message: 'reason: required', fieldErrors: { reason: ['required'] } })).toEqual({
      type: 'requestFailed',
      key: 3,
      kind: 'reject',
      message: 'required',
    });
  });
});

describe('reducer', () => {
  const start = (): Stage1State => initialState(ALL);

  it('starts on Proposed with the first proposed row selected', () => {
    const s = start();
    expect(s.filter).toBe('proposed');
    expect(s.selectedId).toBe(1);
  });

  it('moves, selects and filters', () => {
    let s = reducer(start(), { type: 'move', delta: 1 });
    expect(s.selectedId).toBe(3);
    s = reducer(s, { type: 'setFilter', filter: 'all' });
    expect(s.selectedId).toBe(3);
    s = reducer(s, { type: 'setFilter', filter: 'rejected' });
    expect(s.selectedId).toBe(4);
    s = reducer(s, { type: 'select', id: 99 });
    expect(s.selectedId).toBe(4);
  });

  it('opens forms only on proposed, idle candidates', () => {
    let s = reducer(start(), { type: 'openEdit', id: 2 });
    expect(s.form).toBeNull();
    s = reducer(start(), { type: 'requestStarted', key: 3 });
    expect(reducer(s, { type: 'openReject', id: 3 }).form).toBeNull();
    s = reducer(start(), { type: 'openEdit', id: 3 });
    expect(s.form).toMatchObject({ kind: 'edit', id: 3 });
    expect(s.selectedId).toBe(3);
  });

  it('never replaces a form that holds typing', () => {
    let s = reducer(start(), { type: 'openReject', id: 1 });
    // A clean form is simply replaced.
    s = reducer(s, { type: 'openEdit', id: 3 });
    expect(s.form).toMatchObject({ kind: 'edit', id: 3 });
    s = reducer(s, { type: 'editDraft', patch: { text: 'typed' } });
    expect(isFormDirty(s.form)).toBe(true);
    const refused = reducer(s, { type: 'openNew', duration: 60 });
    expect(refused.form).toBe(s.form);
    expect(refused.notice).toBe(FORM_OPEN_NOTICE);
  });

  it('accepting under Proposed moves the selection to the next proposal', () => {
    let s = reducer(start(), { type: 'requestStarted', key: 1 });
    expect(s.busy).toEqual([1]);
    s = reducer(s, { type: 'requestSucceeded', key: 1, kind: 'accept', candidate: { ...p1, state: 'accepted', version: 2 } });
    expect(s.busy).toEqual([]);
    expect(s.selectedId).toBe(3);
    expect(s.candidates[0]?.state).toBe('accepted');
  });

  it('a conflict replaces the row, shows the notice and keeps the edit typing', () => {
    let s = reducer(start(), { type: 'openEdit', id: 1 });
    s = reducer(s, { type: 'editDraft', patch: { text: 'mine' } });
    const current = { ...p1, text: 'theirs', version: 4 };
    s = reducer(s, { type: 'requestConflict', key: 1, kind: 'edit', current });
    expect(s.notice).toBe(CONFLICT_NOTICE);
    expect(s.candidates[0]).toBe(current);
    expect(s.form).toMatchObject({ kind: 'edit', conflict: current, draft: { text: 'mine' } });
    s = reducer(s, { type: 'restartEditFromConflict' });
    expect(s.form).toMatchObject({ kind: 'edit', base: current, conflict: null, draft: { text: 'theirs' } });
  });

  it('a conflict closes a reject form once the candidate is decided', () => {
    let s = reducer(start(), { type: 'openReject', id: 1 });
    s = reducer(s, { type: 'requestConflict', key: 1, kind: 'reject', current: { ...p1, state: 'accepted', version: 2 } });
    expect(s.form).toBeNull();
    expect(s.selectedId).toBe(3);
  });

  it('routes failures to the form they came from, else to the page alert', () => {
    let s = reducer(start(), { type: 'openNew', duration: 60 });
    s = reducer(s, { type: 'requestFailed', key: -1, kind: 'create', message: '', fieldErrors: { text: ['x'] } });
    expect(s.form).toMatchObject({ kind: 'new', fieldErrors: { text: ['x'] }, formError: null });
    expect(s.error).toBeNull();
    s = reducer(s, { type: 'requestFailed', key: 3, kind: 'accept', message: 'boom' });
    expect(s.error).toBe('boom');
    s = reducer(s, { type: 'requestStarted', key: 3 });
    expect(s.error).toBeNull();
  });

  it('a created question is appended and announced when the filter hides it', () => {
    let s = reducer(start(), { type: 'openNew', duration: 60 });
    const created = makeCandidate({ id: 7, source: 'human', state: 'accepted', text: 'Count claps' });
    s = reducer(s, { type: 'requestSucceeded', key: -1, kind: 'create', candidate: created });
    expect(s.form).toBeNull();
    expect(ids(s.candidates)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(s.notice).toMatch(/Added “Count claps” as accepted/);
  });

  it('typing in a field clears its error', () => {
    let s = reducer(start(), { type: 'openEdit', id: 1 });
    s = reducer(s, { type: 'invalid', fieldErrors: { text: ['x'], query_end: ['y'] } });
    s = reducer(s, { type: 'editDraft', patch: { text: 'a' } });
    expect(s.form).toMatchObject({ fieldErrors: { query_end: ['y'] } });
  });
});
