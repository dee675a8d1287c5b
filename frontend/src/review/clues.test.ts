import { describe, expect, it } from 'vitest';
import { PALETTE } from '../components';
import { boxesOnFrame, clueItems, cluesAt, clusterCounts, OBJECT_COLOR, OBJECT_MARKER_COLOR, REF_COLOR, stepClue, timelineRegions } from './clues';
import { attributeQuestion, makeQuestion } from './fixtures';

describe('clueItems', () => {
  it('numbers event clues, colours them as the workspace does and seeks to their start', () => {
    const items = clueItems(makeQuestion(), 25);
    expect(items.map((i) => [i.key, i.label, i.color, i.time, i.end, i.frame])).toEqual([
      ['clue-0', '#1', PALETTE[0], 0.4, 0.8, null],
      ['clue-1', '#2', PALETTE[1], 1.9, 2.3, null],
    ]);
    expect(items[0]!.where).toBe('00:00.400 – 00:00.800 (0.40 s)');
  });

  it('names attribute boxes by cluster, in its colour, at the middle of their frame', () => {
    const items = clueItems(attributeQuestion(), 25);
    expect(items.map((i) => [i.label, i.color, i.frame])).toEqual([
      ['red', '#e6194b', 75],
      ['red', '#e6194b', 50],
      ['blue', '#4363d8', 50],
    ]);
    expect(items[1]!.time).toBeCloseTo(50.5 / 25);
    expect(items[1]!.where).toBe('frame 50 · 00:02.020');
  });

  it('numbers object boxes in the object colour', () => {
    const question = makeQuestion({
      category: 'object',
      clues: [
        { kind: 'object', frame_index: 3, x1: 0, y1: 0, x2: 5, y2: 5, cluster: '' },
        { kind: 'object', frame_index: 9, x1: 0, y1: 0, x2: 5, y2: 5, cluster: '' },
      ],
    });
    expect(clueItems(question, 25).map((i) => [i.label, i.color])).toEqual([
      ['#1', OBJECT_COLOR],
      ['#2', OBJECT_COLOR],
    ]);
  });
});

describe('timelineRegions', () => {
  it('draws the reference interval, the events and a marker per box, none editable', () => {
    const question = makeQuestion({
      category: 'object',
      clues: [{ kind: 'object', frame_index: 50, x1: 0, y1: 0, x2: 5, y2: 5, cluster: '' }],
    });
    const regions = timelineRegions(question, clueItems(question, 25));
    expect(regions).toEqual([
      { key: 'ref', start: 0, end: 3.5, color: REF_COLOR, label: 'reference', editable: false },
      { key: 'clue-0', start: 2.02, end: 2.02, color: OBJECT_MARKER_COLOR, label: '#1', editable: false },
    ]);
    const events = makeQuestion();
    expect(timelineRegions(events, clueItems(events, 25)).map((r) => [r.key, r.start, r.end])).toEqual([
      ['ref', 0, 3.5],
      ['clue-0', 0.4, 0.8],
      ['clue-1', 1.9, 2.3],
    ]);
  });

  it('leaves out a reference interval that is not marked', () => {
    const question = makeQuestion({ ref_start: null, ref_end: null, clues: [] });
    expect(timelineRegions(question, [])).toEqual([]);
  });
});

describe('boxesOnFrame and cluesAt', () => {
  it('draws the boxes of one frame with the keys and labels of the list', () => {
    const question = attributeQuestion();
    const items = clueItems(question, 25);
    expect(boxesOnFrame(question, items, 50)).toEqual([
      { key: 'clue-1', x1: 150, y1: 40, x2: 220, y2: 110, color: '#e6194b', label: 'red' },
      { key: 'clue-2', x1: 300, y1: 200, x2: 380, y2: 280, color: '#4363d8', label: 'blue' },
    ]);
    expect(boxesOnFrame(question, items, 51)).toEqual([]);
    expect(cluesAt(items, 2.02, 50).map((i) => i.key)).toEqual(['clue-1', 'clue-2']);
  });

  it('finds the events the position is inside, the end excluded', () => {
    const items = clueItems(makeQuestion(), 25);
    expect(cluesAt(items, 0.4, 10).map((i) => i.key)).toEqual(['clue-0']);
    expect(cluesAt(items, 0.8, 20)).toEqual([]);
  });
});

describe('clusterCounts', () => {
  it('counts the boxes of each cluster, an empty one too', () => {
    expect(clusterCounts(attributeQuestion())).toEqual([
      { name: 'red', color: '#e6194b', count: 2 },
      { name: 'blue', color: '#4363d8', count: 1 },
      { name: 'green', color: '#3cb44b', count: 0 },
    ]);
  });
});

describe('stepClue', () => {
  const items = clueItems(attributeQuestion(), 25);
  const key = (item: { key: string } | null) => item?.key ?? null;

  it('goes to the first clue after the position, or the last before it', () => {
    expect(key(stepClue(items, { time: 0, selectedKey: null }, 1, 25))).toBe('clue-1');
    expect(key(stepClue(items, { time: 3.9, selectedKey: null }, -1, 25))).toBe('clue-0');
    expect(stepClue(items, { time: 3.9, selectedKey: null }, 1, 25)).toBeNull();
    expect(stepClue(items, { time: 0, selectedKey: null }, -1, 25)).toBeNull();
  });

  it('goes through clues at the same time one by one from the selected one, in list order', () => {
    expect(key(stepClue(items, { time: 2.02, selectedKey: 'clue-1' }, 1, 25))).toBe('clue-2');
    expect(key(stepClue(items, { time: 2.02, selectedKey: 'clue-2' }, 1, 25))).toBe('clue-0');
    expect(key(stepClue(items, { time: 2.02, selectedKey: 'clue-2' }, -1, 25))).toBe('clue-1');
    // Moved away from the selected clue: the position counts.
    expect(key(stepClue(items, { time: 3.5, selectedKey: 'clue-1' }, 1, 25))).toBeNull();
  });
});
