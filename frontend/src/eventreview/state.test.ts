import { describe, expect, it } from 'vitest';
import { placeErrors } from './errors';
import { makeDoc } from './fixtures';
import { boxOrigin } from './format';
import { boxesAt, colorAt, countsBySecond, findBox, isEdited, newObjectName, putBody, validate } from './reviewDoc';
import { canRedo, canUndo, initialState, isDirty, reviewReducer, type ReviewAction, type ReviewState } from './state';
import type { EventDoc } from './types';

const run = (state: ReviewState, ...actions: ReviewAction[]): ReviewState => actions.reduce(reviewReducer, state);
const start = (doc: EventDoc = makeDoc()) => initialState(doc);
const box = (x1: number, y1: number, x2: number, y2: number) => ({ x1, y1, x2, y2 });

describe('the working copy', () => {
  it('is the server document with stable keys and per-object colours', () => {
    const s = start();
    expect(s.present.objects.map((o) => [o.key, o.id, o.name, o.color])).toEqual([
      ['o7', 7, 'dog', colorAt(0)],
      ['o8', 8, 'man', colorAt(1)],
    ]);
    expect(s.present.objects[0]!.boxes.map((b) => b.key)).toEqual(['b91', 'b92']);
    expect(isDirty(s)).toBe(false);
    expect(canUndo(s)).toBe(false);
    expect(boxesAt(s.present, 35).map(({ object, box: b }) => `${object.name}:${b.id}`)).toEqual(['dog:91', 'man:93']);
    expect(countsBySecond(s.present.objects[1]!, [35, 60, 85])).toEqual([1, 0, 0]);
  });

  it('builds the PUT body: unchanged model boxes keep their ids and coordinates', () => {
    expect(putBody(3, start().present)).toEqual({
      version: 3,
      accept: false,
      objects: [
        {
          id: 7,
          name: 'dog',
          audibility: 'audible',
          boxes: [
            { id: 91, frame_index: 35, x1: 10, y1: 20, x2: 200, y2: 180 },
            { id: 92, frame_index: 60, x1: 30, y1: 20, x2: 220, y2: 180 },
          ],
        },
        {
          id: 8,
          name: 'man',
          audibility: 'visible_only',
          boxes: [{ id: 93, frame_index: 35, x1: 600, y1: 100, x2: 800, y2: 700 }],
        },
      ],
    });
    expect(putBody(4, start().present, true).accept).toBe(true);
  });
});

describe('reviewReducer', () => {
  it('a box kept from a click or a track names its job in the PUT body, until the server has given it an id', () => {
    const origin = { job: 31, model: 'sam2' };
    const s = run(start(), { type: 'addBox', objectKey: 'o8', frameIndex: 60, box: box(100, 200, 300, 400), origin });
    const added = findBox(s.present, 'new-1')!.box;
    expect(added).toMatchObject({ source: 'human', score: null, machine: 'sam2' });
    expect(boxOrigin(added)).toBe('new · from sam2');
    expect(isEdited(added)).toBe(false);
    expect(putBody(3, s.present).objects[1]!.boxes[1]).toEqual(
      { id: null, frame_index: 60, x1: 100, y1: 200, x2: 300, y2: 400, origin: { job: 31 } });
    // Saved: the server's box, which says the model it came from; its origin is not sent again.
    const doc = makeDoc();
    doc.objects[1]!.boxes.push({ id: 95, frame_index: 60, t: 2.4, instance: 0, x1: 100, y1: 200, x2: 300, y2: 400,
      score: null, source: 'human', model: 'sam2' });
    const loaded = start(doc);
    expect(boxOrigin(findBox(loaded.present, 'b95')!.box)).toBe('human · from sam2');
    expect(putBody(3, loaded.present).objects[1]!.boxes[1]).toEqual(
      { id: 95, frame_index: 60, x1: 100, y1: 200, x2: 300, y2: 400 });
  });

  it('adds a box to an object at a frame: a new human box with id null, undoable', () => {
    const s = run(start(), { type: 'addBox', objectKey: 'o8', frameIndex: 60, box: box(300, 400, 100, 200) });
    expect(s.created).toBe('new-1');
    const added = findBox(s.present, 'new-1')!;
    expect(added.object.key).toBe('o8');
    expect(added.box).toMatchObject({ id: null, frame_index: 60, x1: 100, y1: 200, x2: 300, y2: 400, source: 'human', score: null });
    expect(isEdited(added.box)).toBe(false);
    expect(isDirty(s)).toBe(true);
    expect(putBody(3, s.present).objects[1]!.boxes).toEqual([
      { id: 93, frame_index: 35, x1: 600, y1: 100, x2: 800, y2: 700 },
      { id: null, frame_index: 60, x1: 100, y1: 200, x2: 300, y2: 400 },
    ]);
    expect(boxOrigin(added.box)).toBe('new');
    const undone = run(s, { type: 'undo' });
    expect(findBox(undone.present, 'new-1')).toBeUndefined();
    expect(isDirty(undone)).toBe(false);
    expect(canRedo(undone)).toBe(true);
    const redone = run(undone, { type: 'redo' });
    expect(findBox(redone.present, 'new-1')).toBeDefined();
    expect(isDirty(redone)).toBe(true);
    // Keys are never reused.
    expect(run(undone, { type: 'addBox', objectKey: 'o7', frameIndex: 85, box: box(0, 0, 5, 5) }).created).toBe('new-2');
  });

  it('ignores a box for an unknown object or without area', () => {
    const s = start();
    expect(run(s, { type: 'addBox', objectKey: 'nope', frameIndex: 35, box: box(0, 0, 5, 5) })).toBe(s);
    expect(run(s, { type: 'addBox', objectKey: 'o7', frameIndex: 35, box: box(5, 5, 5, 9) })).toBe(s);
  });

  it('moves a model box: same id, new coordinates, shown as edited; moves of one box coalesce', () => {
    let s = run(start(), { type: 'changeBox', boxKey: 'b91', box: box(11, 20, 201, 180), at: 1000 });
    s = run(s, { type: 'changeBox', boxKey: 'b91', box: box(12, 20, 202, 180), at: 1500 });
    const moved = findBox(s.present, 'b91')!.box;
    expect(isEdited(moved)).toBe(true);
    expect(isEdited(findBox(s.present, 'b92')!.box)).toBe(false);
    expect(putBody(3, s.present).objects[0]!.boxes[0]).toEqual({ id: 91, frame_index: 35, x1: 12, y1: 20, x2: 202, y2: 180 });
    expect(s.past).toHaveLength(1);
    // Later than the coalescing window: a step of its own.
    s = run(s, { type: 'changeBox', boxKey: 'b91', box: box(13, 20, 203, 180), at: 5000 });
    expect(s.past).toHaveLength(2);
    // Moved back to where the model put it: not edited (and not dirty).
    s = run(s, { type: 'changeBox', boxKey: 'b91', box: box(10, 20, 200, 180), at: 9000 });
    expect(isEdited(findBox(s.present, 'b91')!.box)).toBe(false);
    expect(isDirty(s)).toBe(false);
  });

  it('deletes a box: the body omits it', () => {
    const s = run(start(), { type: 'deleteBox', boxKey: 'b92' });
    expect(putBody(3, s.present).objects[0]!.boxes.map((b) => b.id)).toEqual([91]);
    expect(isDirty(s)).toBe(true);
    expect(run(s, { type: 'deleteBox', boxKey: 'b92' })).toBe(s);
  });

  it('renames: typing is one undo step; the body trims the name', () => {
    let s = start();
    for (const [i, name] of ['d', 'do', 'dog ', 'dog p', 'dog pu', 'dog pup '].entries()) {
      s = run(s, { type: 'rename', objectKey: 'o7', name, at: 1000 + i * 200 });
    }
    expect(s.present.objects[0]!.name).toBe('dog pup ');
    expect(putBody(3, s.present).objects[0]!.name).toBe('dog pup');
    expect(s.past).toHaveLength(1);
    s = run(s, { type: 'undo' });
    expect(s.present.objects[0]!.name).toBe('dog');
    expect(isDirty(s)).toBe(false);
  });

  it('flips audibility', () => {
    let s = run(start(), { type: 'toggleAudibility', objectKey: 'o7' });
    expect(s.present.objects[0]!.audibility).toBe('visible_only');
    s = run(s, { type: 'toggleAudibility', objectKey: 'o8' });
    expect(s.present.objects[1]!.audibility).toBe('audible');
    expect(putBody(3, s.present).objects.map((o) => o.audibility)).toEqual(['visible_only', 'audible']);
    s = run(s, { type: 'setAudibility', objectKey: 'o8', audibility: 'audible' });
    expect(s.past).toHaveLength(2);
    s = run(s, { type: 'undo' }, { type: 'undo' });
    expect(isDirty(s)).toBe(false);
  });

  it('adds objects with a free name and a free colour, and removes them', () => {
    let s = run(start(), { type: 'addObject' }, { type: 'addObject', name: 'ball', audibility: 'visible_only' }, { type: 'addObject' });
    expect(s.present.objects.map((o) => o.name)).toEqual(['dog', 'man', 'new object', 'ball', 'new object 2']);
    expect(new Set(s.present.objects.map((o) => o.color)).size).toBe(5);
    expect(s.created).toBe('new-3');
    expect(putBody(3, s.present).objects.slice(2)).toEqual([
      { id: null, name: 'new object', audibility: 'audible', boxes: [] },
      { id: null, name: 'ball', audibility: 'visible_only', boxes: [] },
      { id: null, name: 'new object 2', audibility: 'audible', boxes: [] },
    ]);
    s = run(s, { type: 'removeObject', objectKey: 'o7' });
    expect(putBody(3, s.present).objects.map((o) => o.id)).toEqual([8, null, null, null]);
  });

  it('tracks dirtiness against the saved baseline, not the history', () => {
    let s = run(start(), { type: 'toggleAudibility', objectKey: 'o7' }, { type: 'toggleAudibility', objectKey: 'o7' });
    expect(canUndo(s)).toBe(true);
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'rename', objectKey: 'o8', name: 'person', at: 0 });
    expect(isDirty(s)).toBe(true);
  });
});

describe('after a save', () => {
  /** The server's answer to a body: new ids for new items, version + 1. */
  function answer(state: ReviewState, doc: EventDoc = makeDoc()): EventDoc {
    let next = 500;
    const body = putBody(doc.version, state.present);
    return {
      ...doc,
      version: doc.version + 1,
      objects: body.objects.map((o) => ({
        id: o.id ?? (next += 1),
        name: o.name,
        audibility: o.audibility,
        source: o.id === null ? 'human' : 'model',
        state: 'proposed',
        boxes: o.boxes.map((b) => ({ ...b, id: b.id ?? (next += 1), t: 0, instance: 0, score: null, source: 'human' })),
      })),
    };
  }

  it('takes the ids the server gave the new object and box, and is clean', () => {
    let s = run(
      start(),
      { type: 'addObject', name: 'ball' },
      { type: 'addBox', objectKey: 'new-1', frameIndex: 35, box: box(1, 1, 50, 50) },
      { type: 'addBox', objectKey: 'o7', frameIndex: 85, box: box(5, 5, 60, 60) },
    );
    const sent = s.present;
    const server = answer(s);
    // Edited while the request ran.
    s = run(s, { type: 'rename', objectKey: 'new-1', name: 'red ball', at: 0 });
    s = run(s, { type: 'saved', sent, server });
    expect(isDirty(s)).toBe(true);
    const body = putBody(4, s.present);
    expect(body.objects[2]).toEqual({
      id: server.objects[2]!.id,
      name: 'red ball',
      audibility: 'audible',
      boxes: [{ id: server.objects[2]!.boxes[0]!.id, frame_index: 35, x1: 1, y1: 1, x2: 50, y2: 50 }],
    });
    expect(body.objects[0]!.boxes.at(-1)!.id).toBe(server.objects[0]!.boxes.at(-1)!.id);
    // The ids reach the history too: undoing the rename sends no duplicate.
    s = run(s, { type: 'undo' });
    expect(isDirty(s)).toBe(false);
    expect(putBody(4, s.present).objects[2]!.id).toBe(server.objects[2]!.id);
  });

  it('creates again what the server deleted and an undo brought back', () => {
    let s = run(start(), { type: 'deleteBox', boxKey: 'b92' });
    s = run(s, { type: 'saved', sent: s.present, server: answer(s) });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'undo' });
    expect(findBox(s.present, 'b92')!.box.id).toBeNull();
    expect(isDirty(s)).toBe(true);
  });

  it('rebases on a newer version: ids the server lost become null, new objects match by name', () => {
    let s = run(
      start(),
      { type: 'addObject', name: 'ball' },
      { type: 'changeBox', boxKey: 'b91', box: box(15, 25, 205, 185), at: 0 },
    );
    const theirs = makeDoc({
      version: 5,
      objects: [
        { ...makeDoc().objects[0]!, boxes: [makeDoc().objects[0]!.boxes[0]!] },
        { id: 30, name: 'ball', audibility: 'audible', source: 'human', state: 'proposed', boxes: [] },
      ],
    });
    s = run(s, { type: 'rebase', server: theirs });
    const body = putBody(5, s.present);
    expect(body.objects.map((o) => [o.id, o.name])).toEqual([
      [7, 'dog'],
      [null, 'man'],
      [30, 'ball'],
    ]);
    expect(body.objects[0]!.boxes).toEqual([
      { id: 91, frame_index: 35, x1: 15, y1: 25, x2: 205, y2: 185 },
      { id: null, frame_index: 60, x1: 30, y1: 20, x2: 220, y2: 180 },
    ]);
    expect(body.objects[1]!.boxes[0]!.id).toBeNull();
    expect(isDirty(s)).toBe(true);
  });

  it('resets to the server document', () => {
    const s = run(start(), { type: 'deleteBox', boxKey: 'b91' }, { type: 'reset', server: makeDoc({ version: 9 }) });
    expect(isDirty(s)).toBe(false);
    expect(canUndo(s)).toBe(false);
    expect(findBox(s.present, 'b91')).toBeDefined();
  });
});

describe('validate', () => {
  it('wants a name, at most 100 characters, unique', () => {
    const s = run(
      start(),
      { type: 'rename', objectKey: 'o7', name: '  ', at: 0 },
      { type: 'addObject', name: 'man ' },
      { type: 'addObject', name: 'x'.repeat(101) },
    );
    expect(validate(s.present)).toEqual({
      o7: 'The object needs a name.',
      o8: 'Two objects are named "man" (names are compared without case).',
      'new-1': 'Two objects are named "man" (names are compared without case).',
      'new-2': 'The name is longer than 100 characters.',
    });
    expect(validate(start().present)).toEqual({});
  });

  it('compares names as the server stores them: without case, runs of spaces as one; no < or >', () => {
    const s = run(
      start(),
      { type: 'rename', objectKey: 'o7', name: 'Big  dog', at: 0 },
      { type: 'addObject', name: ' big dog' },
      { type: 'addObject', name: '<b>' },
    );
    expect(validate(s.present)).toEqual({
      o7: 'Two objects are named "Big dog" (names are compared without case).',
      'new-1': 'Two objects are named "big dog" (names are compared without case).',
      'new-2': 'Names may not contain < or > (the answers are written between tags).',
    });
    expect(putBody(1, s.present).objects[0]!.name).toBe('Big dog');
    expect(newObjectName({ objects: [{ ...s.present.objects[0]!, name: 'New  Object' }] })).toBe('new object 2');
  });
});

describe('placeErrors', () => {
  it('puts the 400 messages on the objects and boxes of the document sent', () => {
    const sent = start().present;
    expect(
      placeErrors(sent, {
        'objects[0].name': 'Name taken.',
        'objects[1].boxes[0]': 'Box outside the frame.',
        'objects[0].boxes[1].frame_index': 'Not a sampled second.',
        'objects[1].audibility': 'Unknown.',
        'objects[0].boxes[7]': 'Gone.',
        'objects[9].name': 'Who?',
        version: 'Stale.',
        non_field_errors: 'Broken.',
      }),
    ).toEqual({
      objects: { o7: ['Name taken.', 'Box 8: Gone.'], o8: ['Audibility: Unknown.'] },
      boxes: { b93: ['Box outside the frame.'], b92: ['frame_index: Not a sampled second.'] },
      general: ['objects[9].name: Who?', 'version: Stale.', 'Broken.'],
    });
  });
});
