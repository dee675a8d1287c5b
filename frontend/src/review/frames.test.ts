import { describe, expect, it } from 'vitest';
import { PALETTE } from '../components';
import { makeEvent } from './fixtures';
import { boxesOnFrame, DIMMED_ALPHA, eventFrames, missingOn, objectEntries, objectOfBox, withAlpha } from './frames';

describe('the frames of an event', () => {
  it('are its sampled seconds that have a proxy frame', () => {
    const event = makeEvent();
    expect(eventFrames(event)).toEqual([
      { t: 0.3, frame: 7 },
      { t: 1.3, frame: 32 },
      { t: 2.3, frame: 57 },
    ]);
    expect(eventFrames({ seconds: [{ t: 0.3, frame_index: null }] })).toEqual([]);
  });

  it('list each object with its colour, its boxes and the seconds without one', () => {
    const event = makeEvent();
    expect(objectEntries(event, eventFrames(event))).toEqual([
      { id: 1, name: 'dog', audibility: 'audible', color: PALETTE[0], boxes: 2, missing: 1 },
      { id: 2, name: 'ball', audibility: 'visible_only', color: PALETTE[1], boxes: 1, missing: 2 },
    ]);
    expect([7, 32, 57].map((f) => missingOn(event, f))).toEqual([1, 0, 2]);
  });

  it('draw the boxes of one frame, labelled, the selected object on top and the others dimmed', () => {
    const event = makeEvent();
    const entries = objectEntries(event, eventFrames(event));
    expect(boxesOnFrame(event, entries, 32, null).map((b) => [b.key, b.label, b.color])).toEqual([
      ['box-12', 'dog · 0.80', PALETTE[0]],
      ['box-21', 'ball', PALETTE[1]],
    ]);
    expect(boxesOnFrame(event, entries, 32, 1).map((b) => [b.key, b.color])).toEqual([
      ['box-21', withAlpha(PALETTE[1]!, DIMMED_ALPHA)],
      ['box-12', PALETTE[0]],
    ]);
    expect(boxesOnFrame(event, entries, 57, null)).toEqual([]);
    expect(objectOfBox(event, 'box-21')).toBe(2);
    expect(objectOfBox(event, null)).toBeNull();
  });
});

describe('withAlpha', () => {
  it('adds an alpha to six-digit hex colours only', () => {
    expect(withAlpha('#e6194b', 0.5)).toBe('#e6194b80');
    expect(withAlpha('red', 0.5)).toBe('red');
  });
});
