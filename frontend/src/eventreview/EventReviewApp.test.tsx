import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoxCanvasProps } from '../components';
import { EventReviewApp } from './EventReviewApp';
import { jsonResponse, makeData, makeDoc } from './fixtures';
import type { EventDoc, PutBody } from './types';

// The canvas is stubbed: its props are kept, so the tests act through them as the user would
// (draw, move, select a box).
const stubs = vi.hoisted(() => ({ canvas: null as BoxCanvasProps | null }));

vi.mock('../components', async (importOriginal) => {
  const { createElement } = await import('react');
  return {
    ...(await importOriginal<typeof import('../components')>()),
    BoxCanvas: (props: BoxCanvasProps) => {
      stubs.canvas = props;
      return createElement('div', { 'data-testid': 'box-canvas', 'data-disabled': String(props.disabled === true) });
    },
  };
});

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  stubs.canvas = null;
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const tick = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

function setup(doc: Partial<EventDoc> | null = {}, fetchImpl: FetchMock = vi.fn<typeof fetch>()) {
  const navigate = vi.fn<(url: string) => void>();
  const data = makeData(doc);
  const utils = render(<EventReviewApp data={data} fetchImpl={fetchImpl} navigate={navigate} />);
  return { ...utils, fetchImpl, navigate, data };
}

const press = (key: string, init: Partial<KeyboardEventInit> = {}, target: Element = document.body) =>
  act(() => {
    fireEvent.keyDown(target, { key, ...init });
  });

function request(fetchImpl: FetchMock, index = -1) {
  const [url, init] = fetchImpl.mock.calls.at(index)!;
  return {
    url,
    method: init?.method,
    headers: init?.headers as Record<string, string>,
    body: JSON.parse(String(init?.body)) as PutBody,
  };
}

/** What the server answers to a save: the document sent, new ids for new items, one version on. */
function echo(body: PutBody, base: EventDoc = makeDoc()): EventDoc {
  let next = 700;
  return {
    ...base,
    version: body.version + 1,
    state: body.accept ? 'accepted' : base.state,
    objects: body.objects.map((o) => ({
      id: o.id ?? (next += 1),
      name: o.name,
      audibility: o.audibility,
      source: o.id === null ? 'human' : 'model',
      state: body.accept ? 'accepted' : 'proposed',
      boxes: o.boxes.map((b) => ({
        ...b,
        id: b.id ?? (next += 1),
        t: base.seconds.find((s) => s.frame_index === b.frame_index)?.t ?? 0,
        instance: 0,
        score: null,
        source: 'human' as const,
      })),
    })),
  };
}

/** The fetch answers every PUT with its echo. */
const echoing = (fetchImpl: FetchMock, base?: EventDoc) =>
  fetchImpl.mockImplementation((_url, init) =>
    Promise.resolve(jsonResponse(echo(JSON.parse(String(init?.body)) as PutBody, base))),
  );

const status = () => screen.getByTestId('save-status');
const rows = () => screen.getAllByTestId('object-row');
const boxRows = () => screen.queryAllByTestId('box-row');
const canvasKeys = () => stubs.canvas!.boxes.map((b) => b.key);

describe('EventReviewApp', () => {
  it('says why c and t do nothing when the server has no segmentation model', async () => {
    const data = { ...makeData({}), assist_missing: 'CLUEBENCH_DETECT_SAM2_PATH is not set' };
    render(<EventReviewApp data={data} fetchImpl={vi.fn<typeof fetch>()} navigate={vi.fn()} />);
    await press('c');
    expect(screen.getByTestId('hint').textContent).toBe(
      'Click-to-box is not set up on this server: CLUEBENCH_DETECT_SAM2_PATH is not set. Drag to draw boxes.');
    await press('t');
    expect(screen.getByTestId('hint').textContent).toContain('Tracking is not set up on this server');
  });

  it("offers the project's object names in every name field; none without a vocabulary", () => {
    const navigate = vi.fn<(url: string) => void>();
    const data = { ...makeData({}), labels: ['dog', 'man'] };
    const { unmount } = render(<EventReviewApp data={data} fetchImpl={vi.fn<typeof fetch>()} navigate={navigate} />);
    const options = [...screen.getByTestId('object-labels').querySelectorAll('option')].map((o) => o.value);
    expect(options).toEqual(['dog', 'man']);
    const fields = screen.getAllByTestId('object-name');
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field.getAttribute('list')).toBe('er-object-labels');
    unmount();
    setup();
    expect(screen.queryByTestId('object-labels')).toBeNull();
    expect(screen.getAllByTestId('object-name')[0]!.getAttribute('list')).toBeNull();
  });

  it('shows the event, its frame with the boxes, the filmstrip and the objects', () => {
    const { fetchImpl } = setup();
    expect(screen.getByText(/event 1/)).toBeTruthy();
    expect(screen.getByText(/dog barking/)).toBeTruthy();
    expect(screen.getByTestId('event-state').textContent).toBe('Proposed');
    expect(status().textContent).toBe('Saved');
    expect(status().dataset.status).toBe('saved');
    expect(status().dataset.version).toBe('3');
    expect(screen.getByTestId('current-second').textContent).toBe('Second 1 / 3 · 1.4 s · frame 35');
    // The frame of the second, the boxes on it: the selected object (the first) drawn on top.
    expect(stubs.canvas!.imageUrl).toBe('/api/v1/videos/5/frames/35.jpg');
    expect(stubs.canvas!.frameWidth).toBe(1280);
    expect(stubs.canvas!.disabled).toBe(false);
    expect(stubs.canvas!.boxes.map((b) => [b.key, b.label])).toEqual([
      ['b93', 'man · 0.90'],
      ['b91', 'dog · 0.83'],
    ]);
    const [man, dog] = stubs.canvas!.boxes;
    expect(dog!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(man!.color).toMatch(/^#[0-9a-f]{8}$/);
    // Per second and object: how many boxes; a second without one is marked.
    const seconds = screen.getAllByTestId('second');
    expect(seconds.map((s) => s.dataset.frame)).toEqual(['35', '60', '85']);
    expect(seconds[0]!.getAttribute('aria-current')).toBe('true');
    const counts = (i: number) => within(seconds[i]!).getAllByTestId('second-count').map((c) => c.dataset.count);
    expect(counts(0)).toEqual(['1', '1']);
    expect(counts(1)).toEqual(['1', '0']);
    expect(counts(2)).toEqual(['0', '0']);
    expect(seconds[1]!.dataset.missing).toBe('1');
    expect(within(seconds[1]!).getAllByTestId('second-count')[1]!.className).toContain('er-chip-missing');
    // The objects and the boxes of the second.
    expect(rows().map((r) => (within(r).getByTestId('object-name') as HTMLInputElement).value)).toEqual(['dog', 'man']);
    expect(within(rows()[1]!).getByTestId('object-audibility').textContent).toBe('Visible only');
    expect(within(rows()[1]!).getByTestId('object-summary').textContent).toContain('no box in 2 of 3 seconds');
    expect(boxRows().map((r) => within(r).getByTestId('box-origin').textContent)).toEqual(['model 0.83', 'model 0.90']);
    expect(screen.getByTestId('detection').textContent).toContain('grounding-dino+sam2.1');
    expect(screen.queryByTestId('readonly-notice')).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('a box drawn on the canvas goes to the selected object at the second shown, and autosaves', async () => {
    const { fetchImpl } = setup();
    echoing(fetchImpl);
    press('.');
    expect(screen.getByTestId('current-second').textContent).toContain('frame 60');
    press('2');
    act(() => stubs.canvas!.onCreate({ x1: 100, y1: 200, x2: 300, y2: 400 }));
    expect(stubs.canvas!.selectedKey).toBe('new-1');
    expect(stubs.canvas!.boxes.find((b) => b.key === 'new-1')!.label).toBe('man · new');
    expect(status().textContent).toBe('Unsaved changes');
    expect(status().dataset.status).toBe('pending');
    await tick(900);
    expect(fetchImpl).not.toHaveBeenCalled();
    await tick(200);
    expect(fetchImpl).toHaveBeenCalledOnce();
    const { url, method, headers, body } = request(fetchImpl);
    expect(url).toBe('/api/v1/event-docs/12/');
    expect(method).toBe('PUT');
    expect(headers['X-CSRFToken']).toBe('tok123');
    expect(body).toEqual({
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
          boxes: [
            { id: 93, frame_index: 35, x1: 600, y1: 100, x2: 800, y2: 700 },
            { id: null, frame_index: 60, x1: 100, y1: 200, x2: 300, y2: 400 },
          ],
        },
      ],
    });
    expect(status().textContent).toBe('Saved');
    expect(status().dataset.version).toBe('4');
    // The new box has the server's id now: the next save does not create it again.
    const added = boxRows().find((r) => r.dataset.key === 'new-1')!;
    expect(added.dataset.boxId).toBe('701');
    expect(within(rows()[1]!).getByTestId('object-summary').textContent).toContain('no box in 1 of 3 seconds');
  });

  it('moves, deletes, flips, renames and adds with the keyboard; undo / redo; Ctrl+S saves at once', async () => {
    const { fetchImpl } = setup();
    echoing(fetchImpl);
    // Tab cycles the boxes of the second (and selects their object).
    press('Tab');
    expect(stubs.canvas!.selectedKey).toBe('b91');
    press('Tab');
    expect(stubs.canvas!.selectedKey).toBe('b93');
    expect(rows()[1]!.dataset.selected).toBe('true');
    press('Tab', { shiftKey: true });
    expect(stubs.canvas!.selectedKey).toBe('b91');
    // Moving a model box keeps its id and shows it as edited.
    act(() => stubs.canvas!.onChange('b91', { x1: 20, y1: 30, x2: 210, y2: 190 }));
    const dogBox = () => boxRows().find((r) => r.dataset.key === 'b91')!;
    expect(within(dogBox()).getByTestId('box-origin').textContent).toBe('model 0.83 · edited');
    expect(dogBox().dataset.edited).toBe('true');
    expect(stubs.canvas!.boxes.find((b) => b.key === 'b91')!.label).toBe('dog · 0.83 · edited');
    // Delete removes the selected box.
    press('Delete');
    expect(canvasKeys()).toEqual(['b93']);
    // a flips the selected object's audibility.
    press('a');
    expect(rows()[0]!.dataset.audibility).toBe('visible_only');
    // Keys typed into a name field are text.
    const dogName = within(rows()[0]!).getByTestId('object-name') as HTMLInputElement;
    press('a', {}, dogName);
    press('Delete', {}, dogName);
    expect(rows()[0]!.dataset.audibility).toBe('visible_only');
    expect(canvasKeys()).toEqual(['b93']);
    // r focuses the selected object's name.
    press('2');
    press('r');
    const manName = within(rows()[1]!).getByTestId('object-name') as HTMLInputElement;
    expect(document.activeElement).toBe(manName);
    fireEvent.change(manName, { target: { value: 'old man' } });
    press('Escape', {}, manName);
    expect(document.activeElement).not.toBe(manName);
    // o adds an object and focuses its name.
    press('o');
    expect(rows()).toHaveLength(3);
    const newName = within(rows()[2]!).getByTestId('object-name') as HTMLInputElement;
    expect(newName.value).toBe('new object');
    expect(document.activeElement).toBe(newName);
    fireEvent.change(newName, { target: { value: 'leash' } });
    act(() => newName.blur());
    // Undo / redo.
    press('z', { ctrlKey: true });
    expect((within(rows()[2]!).getByTestId('object-name') as HTMLInputElement).value).toBe('new object');
    press('z', { ctrlKey: true, shiftKey: true });
    expect((within(rows()[2]!).getByTestId('object-name') as HTMLInputElement).value).toBe('leash');
    // Ctrl+S saves without waiting.
    expect(fetchImpl).not.toHaveBeenCalled();
    press('s', { ctrlKey: true });
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(request(fetchImpl).body.objects).toEqual([
      { id: 7, name: 'dog', audibility: 'visible_only', boxes: [{ id: 92, frame_index: 60, x1: 30, y1: 20, x2: 220, y2: 180 }] },
      {
        id: 8,
        name: 'old man',
        audibility: 'visible_only',
        boxes: [{ id: 93, frame_index: 35, x1: 600, y1: 100, x2: 800, y2: 700 }],
      },
      { id: null, name: 'leash', audibility: 'audible', boxes: [] },
    ]);
    expect(status().textContent).toBe('Saved');
    expect(rows()[2]!.dataset.objectId).toBe('701');
    // Remove an object.
    fireEvent.click(within(rows()[2]!).getByRole('button', { name: 'Remove object 3' }));
    expect(rows()).toHaveLength(2);
    // Navigating seconds.
    press('End');
    expect(screen.getByTestId('current-second').textContent).toContain('frame 85');
    press('ArrowLeft');
    expect(screen.getByTestId('current-second').textContent).toContain('frame 60');
    fireEvent.click(screen.getAllByTestId('second')[0]!);
    expect(screen.getByTestId('current-second').textContent).toContain('frame 35');
  });

  it('a 409 shows both versions; re-apply saves the reviewer\'s document on the newer version', async () => {
    const { fetchImpl } = setup();
    const theirs = makeDoc({
      version: 5,
      objects: [{ ...makeDoc().objects[0]!, name: 'puppy' }],
    });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Someone else saved.', current: theirs }, 409));
    press('2');
    press('a');
    await tick(1000);
    expect(fetchImpl).toHaveBeenCalledOnce();
    const panel = screen.getByTestId('conflict-panel');
    expect(panel.textContent).toContain('now version 5');
    expect(panel.textContent).toContain('Someone else saved.');
    expect(panel.textContent).toContain('puppy · Visible and audible · 2 boxes');
    expect(panel.textContent).toContain('dog · Visible and audible · 2 boxes');
    expect(status().dataset.status).toBe('conflict');
    // Nothing is lost: the reviewer's document is still shown and editable; autosave waits.
    expect(rows()[1]!.dataset.audibility).toBe('audible');
    press('a');
    press('a');
    await tick(5000);
    expect(fetchImpl).toHaveBeenCalledOnce();
    echoing(fetchImpl, theirs);
    fireEvent.click(within(panel).getByRole('button', { name: 'Re-apply my changes' }));
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    const { body } = request(fetchImpl);
    expect(body.version).toBe(5);
    expect(body.objects.map((o) => [o.id, o.name, o.audibility])).toEqual([
      [7, 'dog', 'audible'],
      // The server's version has no object 8 any more: it is created again.
      [null, 'man', 'audible'],
    ]);
    expect(body.objects[1]!.boxes).toEqual([{ id: null, frame_index: 35, x1: 600, y1: 100, x2: 800, y2: 700 }]);
    expect(screen.queryByTestId('conflict-panel')).toBeNull();
    expect(status().textContent).toBe('Saved');
    expect(status().dataset.version).toBe('6');
  });

  it('"discard mine" shows the server\'s version', async () => {
    const { fetchImpl } = setup();
    const theirs = makeDoc({ version: 5, objects: [{ ...makeDoc().objects[0]!, name: 'puppy' }] });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Stale.', current: theirs }, 409));
    press('Tab');
    press('Delete');
    await tick(1000);
    fireEvent.click(screen.getByRole('button', { name: 'Discard mine' }));
    expect(screen.queryByTestId('conflict-panel')).toBeNull();
    expect(rows().map((r) => (within(r).getByTestId('object-name') as HTMLInputElement).value)).toEqual(['puppy']);
    expect(status().textContent).toBe('Saved');
    expect(status().dataset.version).toBe('5');
    expect(canvasKeys()).toEqual(['b91']);
    await tick(5000);
    expect(fetchImpl).toHaveBeenCalledOnce();
  });

  it('shows 400 errors next to the object and the box they name', async () => {
    const { fetchImpl } = setup();
    fetchImpl.mockResolvedValueOnce(
      jsonResponse(
        {
          detail: 'The document is not valid.',
          errors: {
            'objects[1].name': 'This name is not allowed.',
            'objects[0].boxes[0]': 'The box is outside the frame.',
            'objects[0].boxes[1]': 'Not on a sampled second.',
            version: 'Odd.',
          },
        },
        400,
      ),
    );
    press('a');
    await tick(1000);
    expect(status().dataset.status).toBe('invalid');
    expect(screen.getByTestId('save-error').textContent).toContain('The document is not valid.');
    expect(screen.getByTestId('save-error').textContent).toContain('version: Odd.');
    expect(within(rows()[1]!).getByTestId('object-errors').textContent).toContain('This name is not allowed.');
    // The box of this second: on its row; every box of the object: in the object's list.
    const boxRow = boxRows().find((r) => r.dataset.key === 'b91')!;
    expect(within(boxRow).getByTestId('box-errors').textContent).toContain('The box is outside the frame.');
    const dogErrors = within(rows()[0]!).getByTestId('object-errors');
    expect(dogErrors.textContent).toContain('Box at 2.4 s: Not on a sampled second.');
    fireEvent.click(within(dogErrors).getAllByRole('button', { name: 'show' })[1]!);
    expect(screen.getByTestId('current-second').textContent).toContain('frame 60');
    expect(stubs.canvas!.selectedKey).toBe('b92');
  });

  it('does not send names the server would refuse', async () => {
    const { fetchImpl } = setup();
    const name = within(rows()[1]!).getByTestId('object-name') as HTMLInputElement;
    fireEvent.change(name, { target: { value: 'dog' } });
    await tick(1500);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(status().dataset.status).toBe('invalid');
    expect(within(rows()[1]!).getByTestId('object-errors').textContent).toBe('Two objects are named "dog" (names are compared without case).');
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });

  it('Ctrl+Enter accepts the event', async () => {
    const { fetchImpl } = setup();
    echoing(fetchImpl);
    press('a');
    press('Enter', { ctrlKey: true });
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    const { body } = request(fetchImpl);
    expect(body.accept).toBe(true);
    expect(body.version).toBe(3);
    expect(body.objects[0]!.audibility).toBe('visible_only');
    expect(screen.getByTestId('event-state').dataset.state).toBe('accepted');
    expect(screen.getByTestId('accepted-notice').textContent).toContain('Event accepted');
    expect(status().textContent).toBe('Saved');
    expect(status().dataset.version).toBe('4');
  });

  it('says once before accepting that an object has no box at any second', async () => {
    const { fetchImpl } = setup();
    echoing(fetchImpl);
    press('o'); // a new object, no box yet
    await tick(0);
    fetchImpl.mockClear();
    press('Enter', { ctrlKey: true });
    await tick(0);
    expect(screen.getByTestId('hint').textContent).toContain('no box at any second');
    expect(fetchImpl.mock.calls.some(([, init]) => String(init?.body ?? '').includes('"accept":true'))).toBe(false);
    press('Enter', { ctrlKey: true });
    await tick(0);
    expect(fetchImpl.mock.calls.some(([, init]) => String(init?.body ?? '').includes('"accept":true'))).toBe(true);
  });

  it('shows a 403 and keeps the changes', async () => {
    const { fetchImpl } = setup();
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'You may not review this event.' }, 403));
    fireEvent.click(screen.getByTestId('accept-event'));
    await tick(0);
    expect(screen.getByTestId('save-error').textContent).toBe('You may not review this event.');
    expect(screen.getByTestId('hint').textContent).toBe('Not accepted: You may not review this event.');
    expect(status().dataset.status).toBe('error');
  });

  it('n saves, then goes to the next event', async () => {
    const { fetchImpl, navigate } = setup();
    echoing(fetchImpl);
    press('a');
    press('n');
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(navigate).toHaveBeenCalledWith('/events/13/review/');
    press('p');
    await tick(0);
    expect(navigate).toHaveBeenLastCalledWith('/events/11/review/');
  });

  it('is read only when the server says so', async () => {
    const { fetchImpl } = setup({ editable: false, state: 'accepted' });
    expect(screen.getByTestId('readonly-notice').textContent).toContain('accepted');
    expect(status().textContent).toBe('Read only');
    expect(status().dataset.status).toBe('readonly');
    expect(stubs.canvas!.disabled).toBe(true);
    expect(screen.queryByTestId('accept-event')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByTestId('add-object')).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(within(rows()[0]!).getByTestId('object-name').textContent).toBe('dog');
    press('a');
    press('Tab');
    press('Delete');
    act(() => stubs.canvas!.onCreate({ x1: 1, y1: 1, x2: 50, y2: 50 }));
    press('Enter', { ctrlKey: true });
    await tick(2000);
    expect(rows()[0]!.dataset.audibility).toBe('audible');
    expect(canvasKeys()).toEqual(['b93', 'b91']);
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('loads the document when the page passes none', async () => {
    const { fetchImpl } = setup(null, vi.fn<typeof fetch>().mockResolvedValueOnce(jsonResponse(makeDoc())));
    expect(screen.getByTestId('loading')).toBeTruthy();
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledWith('/api/v1/event-docs/12/', expect.objectContaining({ credentials: 'same-origin' }));
    expect(rows()).toHaveLength(2);
  });

  it('says so when the document cannot be loaded', async () => {
    setup(null, vi.fn<typeof fetch>().mockResolvedValueOnce(jsonResponse({ detail: 'Not found.' }, 404)));
    await tick(0);
    expect(screen.getByTestId('load-error').textContent).toBe('The event could not be loaded: Not found.');
  });
});
