import { describe, expect, it } from 'vitest';
import { acceptProposals, clueSources, ghostBoxes, ghostRegions, inViewAbove, openProposals, rejectProposal, stepProposal } from './proposals';
import { makeQuestion } from './fixtures';
import type { BoxProposal, ClueProposal } from './types';

const box = (id: number, frame: number, score: number, kind: 'object' | 'attribute' = 'object'): BoxProposal => ({
  id, question: 7, kind, frame_index: frame, timestamp: (frame + 0.5) / 25, box: [10, 20, 110, 220], label: 'dog',
  score, model: 'grounding-dino+sam2', model_version: 'v', state: 'proposed', source: 'detector',
});

const B: ClueProposal[] = [box(5, 50, 0.9), box(6, 25, 0.4), box(7, 75, 0.8)];

describe('box proposals', () => {
  it('are open on a question of their kind only, in frame order', () => {
    const objectDoc = makeQuestion({ category: 'object', clues: [] });
    expect(openProposals(B, objectDoc).map((p) => p.id)).toEqual([6, 5, 7]);
    expect(openProposals(B, makeQuestion({ category: 'event', clues: [] }))).toEqual([]);
  });

  it('show as dashed ghost boxes on their exact frame only, and as instants on the timeline', () => {
    expect(ghostBoxes(B, 50)).toEqual([
      { key: 'proposal-5', x1: 10, y1: 20, x2: 110, y2: 220, color: '#7f7f7f', label: '? dog 0.90', ghost: true },
    ]);
    expect(ghostBoxes(B, 51)).toEqual([]);
    const [region] = ghostRegions([B[0]!]);
    expect(region?.start).toBeCloseTo(50.5 / 25);
    expect(region?.end).toBe(region?.start);
  });

  it('accepting makes a box clue on its frame that names it; an attribute goes into the chosen cluster', () => {
    const doc = makeQuestion({ category: 'object', clues: [] });
    const accepted = acceptProposals(doc, [B[0]!]);
    expect(accepted.clues).toEqual([
      { kind: 'object', frame_index: 50, x1: 10, y1: 20, x2: 110, y2: 220, cluster: '', proposal: 5 },
    ]);
    expect(clueSources(accepted)).toEqual({ accepted: 1, byHand: 0 });
    expect(openProposals(B, accepted).map((p) => p.id)).toEqual([6, 7]);
    const attrDoc = makeQuestion({ category: 'attribute', clues: [], clusters: [{ name: 'red', color: '#f00' }, { name: 'blue', color: '#00f' }] });
    const attr = box(9, 10, 0.7, 'attribute');
    expect(acceptProposals(attrDoc, [attr]).clues[0]).toMatchObject({ cluster: 'red', proposal: 9 });
    expect(acceptProposals(attrDoc, [attr], 'blue').clues[0]).toMatchObject({ cluster: 'blue', proposal: 9 });
  });

  it('rejecting takes the accepted box back and remembers the rejection', () => {
    const doc = acceptProposals(makeQuestion({ category: 'object', clues: [] }), [B[0]!]);
    const rejected = rejectProposal(doc, B[0]!);
    expect(rejected.clues).toEqual([]);
    expect(rejected.rejected_proposals).toEqual([5]);
  });

  it('Tab goes by frame time, and "accept all in view" reads the frame time against the view', () => {
    const open = openProposals(B, makeQuestion({ category: 'object', clues: [] }));
    expect(stepProposal(open, null, 1.5, 1)?.id).toBe(5);
    expect(stepProposal(open, null, 1.5, -1)?.id).toBe(6);
    expect(inViewAbove(open, { start: 1.9, end: 4 }, 0.5).map((p) => p.id)).toEqual([5, 7]);
    expect(inViewAbove(open, { start: 0, end: 1.5 }, 0.5)).toEqual([]);
  });
});
