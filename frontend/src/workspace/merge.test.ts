import { describe, expect, it } from 'vitest';
import { editableOf, eventClue } from './doc';
import { docReducer, initialDocState, isDirty } from './docState';
import { makeQuestion } from './fixtures';
import { canonical, mergeDocs, mergePlan, sameContent } from './merge';
import { recoveryFor } from './persistence';

const base = editableOf(makeQuestion());

describe('three-way merge', () => {
  it('re-applies only the fields changed here and keeps the other side’s value of every other field', () => {
    const mine = { ...base, drafted_answer: 5, clues: [eventClue(1, 2)] };
    const theirs = { ...base, text: 'Changed in the other tab', modality: 'AV' as const };
    const { doc, plan } = mergeDocs(base, mine, theirs);
    expect(doc).toMatchObject({ text: 'Changed in the other tab', modality: 'AV', drafted_answer: 5, clues: [eventClue(1, 2)] });
    expect(plan.mine).toEqual(['drafted_answer', 'clues']);
    expect(plan.theirs).toEqual(['text', 'modality']);
    expect(plan.collisions).toEqual([]);
  });

  it('never both accepts and rejects a proposal: this page’s decision wins and the undone field is named', () => {
    const withRejections = { ...base, rejected_proposals: [] };
    const accepted = { ...eventClue(1, 2), proposal: 7 };
    // The other tab rejected proposal 7; this one accepted it (a clue links it).
    const theirs = { ...withRejections, rejected_proposals: [7] };
    const mine = { ...withRejections, clues: [accepted] };
    const kept = mergeDocs(withRejections, mine, theirs);
    expect(kept.doc.clues).toEqual([accepted]);
    expect(kept.doc.rejected_proposals).toEqual([]);
    expect(kept.plan.collisions).toEqual(['rejected_proposals']);
    // The other way round: this tab rejected it, the other accepted it; the other tab's own clues stay.
    const other = eventClue(5, 6);
    const dropped = mergeDocs(withRejections, theirs, { ...withRejections, clues: [accepted, other] });
    expect(dropped.doc.clues).toEqual([other]);
    expect(dropped.doc.rejected_proposals).toEqual([7]);
    expect(dropped.plan.collisions).toEqual(['clues']);
  });

  it('names the fields both sides changed; this page’s value wins there', () => {
    const mine = { ...base, text: 'Mine', ref_start: 1, ref_end: 2 };
    const theirs = { ...base, text: 'Theirs', ref_start: 1, ref_end: 2, clusters: [{ name: 'a', color: '#fff' }] };
    const { doc, plan } = mergeDocs(base, mine, theirs);
    expect(doc.text).toBe('Mine');
    expect(doc.clusters).toEqual(theirs.clusters);
    // The same change on both sides is no collision.
    expect(plan.collisions).toEqual(['text']);
    expect(mergePlan(base, mine, theirs).mine).toEqual(['text', 'ref']);
  });

  it('the reference interval moves as one field', () => {
    const mine = { ...base, ref_end: 25 };
    const theirs = { ...base, ref_start: 5 };
    const { doc, plan } = mergeDocs(base, mine, theirs);
    expect([doc.ref_start, doc.ref_end]).toEqual([10, 25]);
    expect(plan.collisions).toEqual(['ref']);
  });

  it('the rebase action merges against the page’s base, resets the history and is saved', () => {
    let state = initialDocState(base, makeQuestion());
    state = docReducer(state, { type: 'edit', doc: { ...state.present, drafted_answer: 9 } });
    const server = makeQuestion({ version: 5, text: 'Theirs' });
    state = docReducer(state, { type: 'rebase', server });
    expect(state.present).toMatchObject({ text: 'Theirs', drafted_answer: 9 });
    expect(state.past).toEqual([]);
    expect(state.lastMerge?.mine).toEqual(['drafted_answer']);
    expect(isDirty(state)).toBe(true);
  });

  it('a journal’s base recorded on an older version is what the merge compares with', () => {
    const journalBase = { ...base, text: 'Old text' };
    const mine = { ...journalBase, drafted_answer: 9 };
    let state = initialDocState(mine, makeQuestion(), journalBase);
    state = docReducer(state, { type: 'rebase', server: makeQuestion({ version: 5 }) });
    // The text was changed by the other side (from the journal's base), not here: the server's is kept.
    expect(state.present).toMatchObject({ text: base.text, drafted_answer: 9 });
    expect(state.base).toBeNull();
  });
});

describe('comparing documents by content', () => {
  it('ignores the key order and absent rejected proposals', () => {
    const clue = { kind: 'event', start: 1, end: 2 } as const;
    const reordered = { end: 2, kind: 'event', start: 1 } as unknown as typeof clue;
    const a = { ...base, clues: [clue] };
    const b = { ...base, clues: [reordered], rejected_proposals: [] };
    expect(canonical(a.clues)).toBe(canonical(b.clues));
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, { ...a, text: 'x' })).toBe(false);
  });

  it('a reload whose journal equals the server’s newer document is no conflict', () => {
    const server = makeQuestion({ version: 6, clues: [eventClue(1, 2)] });
    const journal = { ...editableOf(server), clues: [{ end: 2, start: 1, kind: 'event' } as ReturnType<typeof eventClue>] };
    expect(recoveryFor({ baseVersion: 5, doc: journal, savedAt: 0 }, server, (d) => sameContent(d, editableOf(server)))).toEqual({
      kind: 'none',
    });
  });
});

describe('a refused save in words', () => {
  it('names each field as people do, and falls back on the detail', async () => {
    const { refusalText } = await import('./WorkspaceNotices');
    expect(refusalText({ drafted_answer: '1 clue(s) for a count of 2: a pooled question keeps one clue per counted instance' },
      'nothing was saved: ...')).toBe(
      'Not saved. Drafted count: 1 clue(s) for a count of 2: a pooled question keeps one clue per counted instance.');
    expect(refusalText({ 'clues[2]': 'Overlaps another event.', 'clusters[0]': 'Name it.' }, 'x'))
      .toBe('Not saved. Clue #3: Overlaps another event; Cluster #1: Name it.');
    expect(refusalText({}, 'nothing was saved: the server said no')).toBe('nothing was saved: the server said no');
  });
});
