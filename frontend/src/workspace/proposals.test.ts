import { describe, expect, it } from 'vitest';
import { commandForKey } from './keyboard';
import {
  acceptProposals,
  clueSources,
  followingProposal,
  ghostRegions,
  inViewAbove,
  openProposals,
  parseProposalKey,
  proposalKey,
  rejectProposal,
  stepProposal,
} from './proposals';
import { makeQuestion } from './fixtures';
import type { ClueProposal } from './types';

const proposal = (id: number, start: number, end: number, score: number): ClueProposal => ({
  id, question: 7, kind: 'event', start, end, score, model: 'acoustic-onsets', model_version: '1', state: 'proposed',
});

const P = [proposal(3, 12, 12.4, 0.9), proposal(1, 11, 11.5, 0.95), proposal(2, 15, 15.8, 0.3), proposal(4, 18, 18.2, 0.7)];

describe('proposals', () => {
  it('open proposals are those neither accepted nor rejected in the document, by time', () => {
    const doc = makeQuestion({ clues: [{ kind: 'event', start: 11, end: 11.6, proposal: 1 }], rejected_proposals: [2] });
    expect(openProposals(P, doc).map((p) => p.id)).toEqual([3, 4]);
    expect(openProposals(P, makeQuestion()).map((p) => p.id)).toEqual([1, 3, 2, 4]);
  });

  it('ghost regions are dashed, not editable, labelled with the score', () => {
    expect(ghostRegions([P[0]!])).toEqual([
      { key: 'proposal-3', start: 12, end: 12.4, color: '#7f7f7f', label: '? 0.90', editable: false, ghost: true },
    ]);
    expect(parseProposalKey(proposalKey(12))).toBe(12);
    expect(parseProposalKey('clue-1')).toBeNull();
  });

  it('accepting makes clues that name their proposal; rejecting is remembered and takes the clue back', () => {
    let doc = makeQuestion({ rejected_proposals: [3] });
    doc = { ...doc, ...acceptProposals(doc, [P[0]!, P[1]!]) };
    expect(doc.clues).toEqual([
      { kind: 'event', start: 12, end: 12.4, proposal: 3 },
      { kind: 'event', start: 11, end: 11.5, proposal: 1 },
    ]);
    expect(doc.rejected_proposals).toEqual([]);
    // Accepting twice adds nothing.
    expect(acceptProposals(doc, [P[0]!]).clues).toHaveLength(2);
    const rejected = rejectProposal(doc, P[0]!);
    expect(rejected.clues).toEqual([{ kind: 'event', start: 11, end: 11.5, proposal: 1 }]);
    expect(rejected.rejected_proposals).toEqual([3]);
    expect(clueSources({ ...rejected, clues: [...rejected.clues, { kind: 'event', start: 1, end: 2 }] })).toEqual({ accepted: 1, byHand: 1 });
  });

  it('Tab and Shift+Tab step through them from the selection or the playhead, wrapping', () => {
    const open = openProposals(P, makeQuestion());
    expect(stepProposal(open, null, 0, 1)?.id).toBe(1);
    expect(stepProposal(open, null, 12, 1)?.id).toBe(2);
    expect(stepProposal(open, null, 12, -1)?.id).toBe(1);
    expect(stepProposal(open, 4, 0, 1)?.id).toBe(1);
    expect(stepProposal(open, 1, 0, -1)?.id).toBe(4);
    expect(stepProposal([], null, 0, 1)).toBeNull();
    expect(followingProposal(open, 3)?.id).toBe(2);
    expect(followingProposal(open, 4)?.id).toBe(1);
    expect(followingProposal([P[0]!], 3)).toBeNull();
  });

  it('accepting all in view takes those from the threshold up inside the view', () => {
    const open = openProposals(P, makeQuestion());
    expect(inViewAbove(open, null, 0.5).map((p) => p.id)).toEqual([1, 3, 4]);
    expect(inViewAbove(open, { start: 11.8, end: 16 }, 0.5).map((p) => p.id)).toEqual([3]);
  });

  it('the keys: Tab only with proposals open, Enter and x only with one selected, Shift+A accepts all', () => {
    const none = { open: false, selected: false };
    const open = { open: true, selected: false };
    const selected = { open: true, selected: true };
    const key = (k: string, init: Record<string, unknown> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: document.body, ...init });
    expect(commandForKey(key('Tab'), none)).toBeNull();
    expect(commandForKey(key('Tab'), open)).toEqual({ type: 'stepProposal', direction: 1 });
    expect(commandForKey(key('Tab', { shiftKey: true }), open)).toEqual({ type: 'stepProposal', direction: -1 });
    expect(commandForKey(key('Enter'), open)).toBeNull();
    expect(commandForKey(key('Enter'), selected)).toEqual({ type: 'acceptProposal' });
    expect(commandForKey(key('Enter', { target: document.createElement('button') }), selected)).toBeNull();
    expect(commandForKey(key('x'), selected)).toEqual({ type: 'rejectProposal' });
    expect(commandForKey(key('x'), open)).toBeNull();
    expect(commandForKey(key('A', { shiftKey: true }), open)).toEqual({ type: 'acceptAllAbove' });
    expect(commandForKey(key('Enter', { ctrlKey: true }), selected)).toEqual({ type: 'submit' });
    expect(commandForKey(key('Tab', { target: document.createElement('input') }), open)).toBeNull();
  });
});
