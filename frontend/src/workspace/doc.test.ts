import { describe, expect, it } from 'vitest';
import { PALETTE } from '../components';
import { addCluster, nextClusterColor, nextClusterName, removeCluster, renameCluster } from './clusters';
import {
  CLUSTER_NAME_MAX,
  addClue,
  boxClue,
  boxesByFrame,
  boxesOnFrame,
  clueCount,
  clusterBoxCounts,
  editableOf,
  eventClue,
  finalInterval,
  parseClueKey,
  removeClue,
  sameDoc,
  spanOfClues,
  updateClue,
  type EditableDoc,
} from './doc';
import { makeQuestion, makeVideo } from './fixtures';
import { validateDoc, validateForSubmit } from './validate';

const video = makeVideo();
const doc = (overrides: Partial<EditableDoc> = {}): EditableDoc => ({ ...editableOf(makeQuestion()), ...overrides });
const box = { x1: 10, y1: 20, x2: 110, y2: 220 };

describe('clue editing', () => {
  it('adds, updates and removes clues without touching the input', () => {
    const d0 = doc();
    const d1 = addClue(d0, eventClue(5, 2));
    expect(d0.clues).toEqual([]);
    expect(d1.clues).toEqual([{ kind: 'event', start: 2, end: 5 }]);
    const d2 = updateClue(d1, 0, { end: 6 });
    expect(d2.clues[0]).toEqual({ kind: 'event', start: 2, end: 6 });
    expect(d1.clues[0]).toEqual({ kind: 'event', start: 2, end: 5 });
    expect(removeClue(d2, 0).clues).toEqual([]);
    expect(removeClue(d2, 5)).toBe(d2);
    expect(updateClue(d2, 9, { end: 1 })).toBe(d2);
  });

  it('builds boxes in min/max order, objects without a cluster', () => {
    expect(boxClue('object', 3, { x1: 50, y1: 60, x2: 10, y2: 20 }, 'ignored')).toEqual({
      kind: 'object',
      frame_index: 3,
      x1: 10,
      y1: 20,
      x2: 50,
      y2: 60,
      cluster: '',
    });
    expect(boxClue('attribute', 3, box, 'red').cluster).toBe('red');
    // Rounded to 0.1 px, the precision the release writes.
    expect(boxClue('object', 0, { x1: 1.04, y1: 2.06, x2: 3.15, y2: 4 })).toMatchObject({ x1: 1, y1: 2.1, x2: 3.2, y2: 4 });
  });

  it('finds boxes by frame', () => {
    const d = doc({
      category: 'object',
      clues: [boxClue('object', 9, box), boxClue('object', 2, box), boxClue('object', 9, box)],
    });
    expect(boxesOnFrame(d, 9).map((b) => b.index)).toEqual([0, 2]);
    expect(boxesByFrame(d).map((g) => [g.frame, g.boxes.map((b) => b.index)])).toEqual([
      [2, [1]],
      [9, [0, 2]],
    ]);
  });

  it('parses clue keys', () => {
    expect(parseClueKey('clue-12')).toBe(12);
    expect(parseClueKey('ref')).toBeNull();
    expect(parseClueKey(null)).toBeNull();
  });

  it('compares documents by content', () => {
    expect(sameDoc(doc(), { ...doc(), clues: [] })).toBe(true);
    expect(sameDoc(doc(), doc({ text: 'other' }))).toBe(false);
  });
});

describe('clusters', () => {
  it('adds clusters with fresh names and colours', () => {
    const d = addCluster(addCluster(doc({ category: 'attribute' })));
    expect(d.clusters).toEqual([
      { name: 'Cluster 1', color: PALETTE[0] },
      { name: 'Cluster 2', color: PALETTE[1] },
    ]);
    expect(nextClusterColor([{ name: 'a', color: PALETTE[0]!.toUpperCase() }])).toBe(PALETTE[1]);
  });

  it("takes the project's vocabulary first, skipping names in use, then falls back to Cluster N", () => {
    const vocabulary = ['red', ' blue ', 'green'];
    const start = doc({ category: 'attribute', clusters: [{ name: 'blue', color: '#00f' }] });
    const d = addCluster(addCluster(addCluster(start, undefined, vocabulary), undefined, vocabulary), undefined, vocabulary);
    expect(d.clusters.map((c) => c.name)).toEqual(['blue', 'red', 'green', 'Cluster 4']);
    expect(nextClusterName([], ['', 'x'.repeat(CLUSTER_NAME_MAX + 1), 'ok'])).toBe('ok');
  });

  it('renames a cluster and its boxes; refuses empty or taken names', () => {
    const d = doc({
      category: 'attribute',
      clusters: [
        { name: 'red', color: '#f00' },
        { name: 'blue', color: '#00f' },
      ],
      clues: [boxClue('attribute', 1, box, 'red'), boxClue('attribute', 2, box, 'blue')],
    });
    const renamed = renameCluster(d, 0, ' crimson ');
    expect(renamed.clusters[0]!.name).toBe('crimson');
    expect(renamed.clues.map((c) => (c.kind === 'attribute' ? c.cluster : ''))).toEqual(['crimson', 'blue']);
    expect(renameCluster(d, 0, 'blue')).toBe(d);
    expect(renameCluster(d, 0, '  ')).toBe(d);
  });

  it('removes a cluster with its boxes', () => {
    const d = doc({
      category: 'attribute',
      clusters: [
        { name: 'red', color: '#f00' },
        { name: 'blue', color: '#00f' },
      ],
      clues: [boxClue('attribute', 1, box, 'red'), boxClue('attribute', 2, box, 'blue')],
    });
    const after = removeCluster(d, 0);
    expect(after.clusters.map((c) => c.name)).toEqual(['blue']);
    expect(after.clues).toHaveLength(1);
    expect(clusterBoxCounts(after).get('blue')).toBe(1);
  });
});

describe('counts and intervals', () => {
  it('counts event and object clues one each', () => {
    expect(clueCount(doc({ clues: [eventClue(1, 2), eventClue(3, 4)] }))).toBe(2);
    expect(clueCount(doc({ category: 'object', clues: [boxClue('object', 1, box)] }))).toBe(1);
    // Clues of another kind than the question's do not count.
    expect(clueCount(doc({ category: 'object', clues: [eventClue(1, 2)] }))).toBe(0);
  });

  it('counts attribute clusters holding at least one box', () => {
    const d = doc({
      category: 'attribute',
      clusters: [
        { name: 'red', color: '#f00' },
        { name: 'blue', color: '#00f' },
        { name: 'green', color: '#0f0' },
      ],
      clues: [boxClue('attribute', 1, box, 'red'), boxClue('attribute', 5, box, 'red'), boxClue('attribute', 2, box, 'blue')],
    });
    expect(clueCount(d)).toBe(2);
  });

  it('spans events and the mid-frame times of boxes', () => {
    expect(spanOfClues([], 25)).toBeNull();
    expect(spanOfClues([eventClue(30, 31), eventClue(12, 14)], 25)).toEqual({ start: 12, end: 31 });
    expect(spanOfClues([boxClue('object', 0, box), boxClue('object', 99, box)], 25)).toEqual({ start: 0.02, end: 3.98 });
  });

  it('the final interval is the union of the reference and the clue span', () => {
    const ref = { start: 10, end: 20 };
    expect(finalInterval(ref, [eventClue(12, 14)], 25)).toEqual(ref);
    expect(finalInterval(ref, [eventClue(8, 14), eventClue(19, 22.5)], 25)).toEqual({ start: 8, end: 22.5 });
    expect(finalInterval(null, [eventClue(8, 14)], 25)).toEqual({ start: 8, end: 14 });
    expect(finalInterval(ref, [], 25)).toEqual(ref);
    expect(finalInterval(null, [], 25)).toBeNull();
  });
});

describe('validation', () => {
  it('accepts a sound document', () => {
    expect(validateDoc(doc({ clues: [eventClue(11, 12)] }), video)).toEqual({});
  });

  it('checks the question fields', () => {
    expect(validateDoc(doc({ text: '  ', drafted_answer: 1.5 }), video)).toEqual({
      text: 'Write the question.',
      drafted_answer: 'The count is a whole number, 0 or more.',
    });
    expect(validateDoc(doc({ ref_start: 5, ref_end: null }), video)).toEqual({
      ref_end: 'Set both ends of the reference interval, or neither.',
    });
    expect(validateDoc(doc({ ref_start: null, ref_end: 5 }), video)).toEqual({
      ref_start: 'Set both ends of the reference interval, or neither.',
    });
    expect(validateDoc(doc({ ref_start: -1, ref_end: 5 }), video)).toEqual({ ref_start: 'It starts before the video.' });
    expect(validateDoc(doc({ ref_start: 5, ref_end: 61 }), video)).toEqual({ ref_end: 'It ends after the video (60 s).' });
    expect(validateDoc(doc({ ref_start: 5, ref_end: 5 }), video)).toEqual({ ref_end: 'The end must come after the start.' });
    expect(validateDoc(doc({ ref_start: null, ref_end: null, drafted_answer: null }), video)).toEqual({});
  });

  it('keys clue problems like the server: clues[i]', () => {
    const d = doc({
      clues: [eventClue(1, 2), { kind: 'event', start: 3, end: 3 }, eventClue(50, 61), boxClue('object', 1, box)],
    });
    expect(validateDoc(d, video)).toEqual({
      'clues[1]': 'The end must come after the start.',
      'clues[2]': 'It ends after the video (60 s).',
      'clues[3]': 'This is an object clue; the question counts events.',
    });
  });

  it('checks boxes against the frame and the clusters', () => {
    const d = doc({
      category: 'attribute',
      clusters: [{ name: 'red', color: '#f00' }],
      clues: [
        boxClue('attribute', 1, box, 'red'),
        boxClue('attribute', 1, { x1: 0, y1: 0, x2: 1281, y2: 10 }, 'red'),
        { ...boxClue('attribute', 1, box, 'red'), x2: 10 },
        boxClue('attribute', 1500, box, 'red'),
        boxClue('attribute', 1, box, 'blue'),
        boxClue('attribute', 1, box, ''),
      ],
    });
    expect(validateDoc(d, video)).toEqual({
      'clues[1]': 'The box leaves the frame (1280×720).',
      'clues[2]': 'The box has no area.',
      'clues[3]': 'The frame must be between 0 and 1499.',
      'clues[4]': 'No cluster is named "blue".',
      'clues[5]': 'The box is in no cluster.',
    });
  });

  it('flags duplicate or empty cluster names', () => {
    const d = doc({
      category: 'attribute',
      clusters: [
        { name: 'red', color: '#f00' },
        { name: 'red', color: '#f01' },
        { name: '', color: '#f02' },
      ],
    });
    expect(validateDoc(d, video)).toEqual({
      'clusters[0]': 'Another cluster has this name.',
      'clusters[1]': 'Another cluster has this name.',
      'clusters[2]': 'A cluster needs a name.',
    });
  });

  it('a submit also needs the drafted count and the reference interval', () => {
    expect(validateForSubmit(doc({ drafted_answer: null, ref_start: null, ref_end: null }), video)).toEqual({
      drafted_answer: 'Draft the count before submitting.',
      ref_start: 'Set the reference interval before submitting.',
    });
    expect(validateForSubmit(doc(), video)).toEqual({});
  });
});
