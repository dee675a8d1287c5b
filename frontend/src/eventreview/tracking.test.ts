import { describe, expect, it } from 'vitest';
import type { ReviewDoc } from './reviewDoc';
import { nextPending, pendingFrom, trackedCanvasBoxes } from './tracking';

const doc = (frames: number[]): ReviewDoc => ({
  objects: [{
    key: 'o1', id: 1, name: 'ball', audibility: 'visible_only', source: 'model', color: '#f00',
    boxes: frames.map((f, i) => ({ key: `b${i}`, id: i, frame_index: f, x1: 0, y1: 0, x2: 5, y2: 5, score: null, source: 'human', model: null, machine: '' })),
  }],
});

describe('tracked boxes', () => {
  const answer = { boxes: [
    { frame_index: 57, t: 2.3, box: [1, 2, 30, 40] },
    { frame_index: 7, t: 0.3, box: [1, 2, 30, 40] },
    { frame_index: 32, t: 1.3, box: [5, 5, 5, 9] },
    { frame_index: 82, t: 3.3, box: [0, 0, 9, 9] },
    { nonsense: true },
  ] };

  it('keep the seconds where the object has no box, in time order, and drop boxes without area', () => {
    const pending = pendingFrom(answer, 'o1', doc([82]));
    expect(pending.map((p) => p.frame_index)).toEqual([7, 57]);
    expect(pending[0]).toEqual({ objectKey: 'o1', frame_index: 7, t: 0.3, box: [1, 2, 30, 40] });
    expect(pendingFrom(null, 'o1', doc([]))).toEqual([]);
    expect(pendingFrom({ boxes: 'no' }, 'o1', doc([]))).toEqual([]);
  });

  it('carry the job that answered them, to keep as the boxes\' origin', () => {
    const pending = pendingFrom(answer, 'o1', doc([82]), { job: 12, model: 'sam2' });
    expect(pending.map((p) => p.origin)).toEqual([{ job: 12, model: 'sam2' }, { job: 12, model: 'sam2' }]);
  });

  it('are drawn dashed on their second only; the next to confirm follows in time, then wraps', () => {
    const pending = pendingFrom(answer, 'o1', doc([]));
    expect(trackedCanvasBoxes(pending, 57, 'ball')).toEqual([
      { key: 'tracked-57', x1: 1, y1: 2, x2: 30, y2: 40, color: '#9ca3af', label: '? ball · tracked · Enter / x', ghost: true },
    ]);
    expect(trackedCanvasBoxes(pending, 8, 'ball')).toEqual([]);
    expect(nextPending(pending, 7)?.frame_index).toBe(57);
    expect(nextPending(pending, 82)?.frame_index).toBe(7);
    expect(nextPending(pending.slice(0, 1), 7)).toBeNull();
  });
});
