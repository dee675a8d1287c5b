import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PALETTE, type BoxCanvasProps, type TimelineHandle, type TimelineProps } from '../components';
import { editableOf, eventClue } from './doc';
import { jsonResponse, makeComment, makeData, makeQuestion } from './fixtures';
import { localKey, saveLocal } from './persistence';
import type { QuestionDoc, WorkspaceData } from './types';
import { WorkspaceApp } from './WorkspaceApp';

// The canvas and the timeline draw on canvases jsdom lacks: stubs keep their props, so the
// tests can act as the user would through them (draw a box, drag a region).
const stubs = vi.hoisted(() => ({
  canvas: null as BoxCanvasProps | null,
  timeline: null as TimelineProps | null,
  handle: null as TimelineHandle | null,
}));

vi.mock('../components', async (importOriginal) => {
  const { createElement, useImperativeHandle } = await import('react');
  return {
    ...(await importOriginal<typeof import('../components')>()),
    BoxCanvas: (props: BoxCanvasProps) => {
      stubs.canvas = props;
      return createElement('div', { 'data-testid': 'box-canvas' });
    },
    Timeline: (props: TimelineProps) => {
      stubs.timeline = props;
      useImperativeHandle(props.ref, () => stubs.handle!);
      return createElement('div', { 'data-testid': 'timeline' });
    },
  };
});

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

let play: ReturnType<typeof vi.fn>;
let pause: ReturnType<typeof vi.fn>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  play = vi.fn(() => Promise.resolve());
  pause = vi.fn();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play as () => Promise<void>);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(pause as () => void);
  stubs.canvas = null;
  stubs.timeline = null;
  stubs.handle = {
    zoomIn: vi.fn(),
    zoomOut: vi.fn(),
    zoomToFit: vi.fn(),
    zoomToFrames: vi.fn(),
    showSpectrogram: vi.fn(),
  };
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.useRealTimers();
});

function setup(question: Partial<QuestionDoc> = {}, overrides: Partial<WorkspaceData> = {}) {
  const fetchImpl: FetchMock = vi.fn<typeof fetch>();
  const data = makeData(question, overrides);
  const utils = render(<WorkspaceApp data={data} fetchImpl={fetchImpl} />);
  const video = utils.container.querySelector('video')!;
  return { ...utils, fetchImpl, data, video };
}

const press = (key: string, init: Partial<KeyboardEventInit> = {}, target: Element = document.body) =>
  fireEvent.keyDown(target, { key, ...init });

const at = (video: HTMLVideoElement, seconds: number) => {
  video.currentTime = seconds;
  fireEvent(video, new Event('timeupdate'));
};

const tick = (ms: number) => act(async () => {
  await vi.advanceTimersByTimeAsync(ms);
});

function request(fetchImpl: FetchMock, index = -1) {
  const [url, init] = fetchImpl.mock.calls.at(index)!;
  return { url, method: init?.method, body: JSON.parse(String(init?.body)) as Record<string, unknown> };
}

const text = (testId: string) => screen.getByTestId(testId).textContent;
const saveStatus = () => text('save-status');
const valueOf = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

/** What the server answers to a save: the document sent, one version on. */
function echo(fetchImpl: FetchMock, base: QuestionDoc = makeQuestion()) {
  const body = request(fetchImpl).body;
  const { version, ...fields } = body;
  return { ...base, ...fields, version: (version as number) + 1 } as QuestionDoc;
}

describe('WorkspaceApp', () => {
  it('says at the top why a reviewer sent the question back, until the comment is resolved', () => {
    const why = makeComment({ id: 40, review_decision: 'send_back', text: 'The beep at 2 s is counted twice', time: 2 });
    const { video } = setup({}, { comments: [makeComment({ id: 39 }), why] });
    expect(text('sent-back')).toContain('Sent back by rita: “The beep at 2 s is counted twice”');
    fireEvent.click(screen.getByRole('button', { name: 'Go to the comment' }));
    expect(video.currentTime).toBe(2);
    cleanup();
    setup({}, { comments: [{ ...why, resolved_at: '2026-03-02T10:00:00Z', resolved_by_name: 'ann' }] });
    expect(screen.queryByTestId('sent-back')).toBeNull();
    // Resubmitted (in arbitration, say): no longer in the annotator's hands, so no longer said at the top.
    cleanup();
    setup({ state: 'arbitration' }, { comments: [why] });
    expect(screen.queryByTestId('sent-back')).toBeNull();
  });

  it('says why c does nothing on a box question when the server has no segmentation model', () => {
    setup({ category: 'object', modality: 'V' }, { click_box_missing: 'CLUEBENCH_DETECT_SAM2_PATH is not set' });
    expect(screen.queryByTestId('click-to-box')).toBeNull();
    press('c');
    expect(document.querySelector('.ws-hint')!.textContent).toBe(
      'Click-to-box is not set up on this server: CLUEBENCH_DETECT_SAM2_PATH is not set. Drag to draw a box.');
  });

  it('offers click-to-box once the question becomes a box question on the page, not before', () => {
    const data = makeData();
    setup({}, { urls: { ...data.urls, click_box: '/api/v1/question-docs/7/click-box/', job: '/api/v1/jobs/{id}/' } });
    expect(screen.queryByTestId('click-to-box')).toBeNull();
    press('c');
    expect(screen.queryByTestId('click-to-box')).toBeNull();
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'object' } });
    expect(screen.getByTestId('click-to-box').textContent).toContain('Click-to-box off');
    press('c');
    expect(screen.getByTestId('click-to-box').querySelector('button')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('renders the question, its state, the running count and the player', () => {
    const { video, fetchImpl } = setup();
    expect((screen.getByLabelText('Question') as HTMLTextAreaElement).value).toBe('How many times does the dog bark?');
    expect(valueOf('Category')).toBe('event');
    expect(valueOf('Modality')).toBe('A');
    expect(valueOf('Drafted count')).toBe('3');
    expect(valueOf('Start (s)')).toBe('10');
    expect(valueOf('End (s)')).toBe('20');
    expect(screen.getByText('Draft (stage 2)')).toBeTruthy();
    expect(screen.getByText('version 4')).toBeTruthy();
    expect(text('running-count')).toBe('Clues: 0 / Count: 3');
    expect(screen.getByTestId('running-count').className).toContain('ws-count-mismatch');
    expect(text('final-interval')).toContain('00:10.000 – 00:20.000');
    expect(text('position')).toBe('00:00.000 · frame 0');
    expect(text('save-status')).toBe('Saved');
    expect(video.getAttribute('src')).toBe('/media/proxy/5.mp4');
    expect(video.getAttribute('preload')).toBe('metadata');
    expect(screen.getByText(/event start \/ end here/)).toBeTruthy();
    expect(stubs.timeline!.regions).toEqual([
      { key: 'ref', start: 10, end: 20, color: '#808080', label: 'reference', editable: true },
    ]);
    expect(stubs.timeline!.media).toBe(video);
    expect(stubs.timeline!.peaksUrl).toBe('/media/peaks/5.json');
    // No boxes for an event question.
    expect(screen.queryByTestId('box-canvas')).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('i / o while playing add an event clue from the start to the end time', () => {
    const { video } = setup();
    press('o');
    expect(screen.getByText(/Press i at the start of the event first/)).toBeTruthy();
    press(' ');
    expect(play).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    at(video, 11);
    press('i');
    // A second i restarts the event.
    at(video, 12.5);
    press('i');
    expect(screen.getByText(/Event started at 00:12.500/)).toBeTruthy();
    at(video, 14.25);
    press('o');
    expect(valueOf('Event 1 start')).toBe('12.5');
    expect(valueOf('Event 1 end')).toBe('14.25');
    expect(stubs.timeline!.regions.at(-1)).toEqual({
      key: 'clue-0',
      start: 12.5,
      end: 14.25,
      color: PALETTE[0],
      label: '#1',
      editable: true,
    });
    expect(stubs.timeline!.selectedKey).toBe('clue-0');
    expect(text('running-count')).toBe('Clues: 1 / Count: 3');
    expect(screen.queryByText(/Event started/)).toBeNull();
    // Delete removes the selected clue.
    press('Delete');
    expect(text('running-count')).toBe('Clues: 0 / Count: 3');
  });

  it('ignores shortcuts typed into a field, except Escape', () => {
    setup();
    const textarea = screen.getByLabelText('Question');
    textarea.focus();
    press('i', {}, textarea);
    press('o', {}, textarea);
    press(' ', {}, textarea);
    expect(play).not.toHaveBeenCalled();
    expect(screen.queryByText(/Event started/)).toBeNull();
    press('Escape', {}, textarea);
    expect(document.activeElement).not.toBe(textarea);
  });

  it('frame steps pause and land on the middle of the frame; the position shows the index', () => {
    const { video } = setup();
    press('.');
    expect(pause).toHaveBeenCalled();
    expect(video.currentTime).toBeCloseTo(0.06, 10);
    expect(text('position')).toBe('00:00.060 · frame 1');
    press('.');
    expect(text('position')).toBe('00:00.100 · frame 2');
    press(',');
    expect(text('position')).toBe('00:00.060 · frame 1');
    press('ArrowRight');
    expect(text('position')).toBe('00:01.060 · frame 26');
    press('ArrowRight', { shiftKey: true });
    expect(text('position')).toBe('00:06.060 · frame 151');
    press('ArrowLeft', { shiftKey: true });
    press('ArrowLeft');
    press('ArrowLeft');
    expect(text('position')).toBe('00:00.000 · frame 0');
    fireEvent.click(screen.getByRole('button', { name: 'Next frame' }));
    expect(text('position')).toBe('00:00.060 · frame 1');
    // The time the element reports is followed too.
    at(video, 12.345);
    expect(text('position')).toBe('00:12.345 · frame 308');
  });

  it('[ and ] set the reference interval at the playhead', () => {
    const { video } = setup();
    at(video, 3.2);
    press('[');
    at(video, 8.75);
    press(']');
    expect(valueOf('Start (s)')).toBe('3.2');
    expect(valueOf('End (s)')).toBe('8.75');
    expect(stubs.timeline!.regions[0]).toMatchObject({ key: 'ref', start: 3.2, end: 8.75 });
    // A playhead past the end (the media's own rounding) is held to the video's duration.
    at(video, 60.0004);
    press(']');
    expect(valueOf('End (s)')).toBe('60');
  });

  it('a half-set reference interval is a draft: saves go on with the server’s interval, the field says it is incomplete', async () => {
    const { fetchImpl, video } = setup({ ref_start: null, ref_end: null });
    at(video, 3.2);
    press('[');
    expect(screen.getByTestId('ref-incomplete').textContent).toContain('Incomplete: set the end too');
    // Nothing else changed: nothing to send.
    await tick(2000);
    expect(fetchImpl).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '6' } });
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    await tick(800);
    expect(request(fetchImpl).body).toMatchObject({ version: 4, drafted_answer: 6, ref_start: null, ref_end: null });
    expect(saveStatus()).toBe('Saved');
    // The draft is still here, and completing it saves it.
    expect(valueOf('Start (s)')).toBe('3.2');
    at(video, 8);
    press(']');
    await tick(800);
    expect(request(fetchImpl).body).toMatchObject({ version: 5, ref_start: 3.2, ref_end: 8 });
    expect(screen.queryByTestId('ref-incomplete')).toBeNull();
  });

  it('clearing one end of the server’s interval sends the server’s interval meanwhile', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('End (s)'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '6' } });
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    await tick(800);
    expect(request(fetchImpl).body).toMatchObject({ drafted_answer: 6, ref_start: 10, ref_end: 20 });
    expect(screen.getByTestId('ref-incomplete').textContent).toContain('set the end too');
  });

  it('dragging a region on the timeline updates the document', () => {
    setup({ clues: [eventClue(11, 12)] });
    act(() => stubs.timeline!.onRegionChange('clue-0', 11.5, 13.0004));
    expect(valueOf('Event 1 start')).toBe('11.5');
    expect(valueOf('Event 1 end')).toBe('13');
    act(() => stubs.timeline!.onRegionChange('ref', 9, 21));
    expect(valueOf('Start (s)')).toBe('9');
    expect(valueOf('End (s)')).toBe('21');
    act(() => stubs.timeline!.onRegionChange('ref', -1, 75));
    expect(valueOf('Start (s)')).toBe('0');
    expect(valueOf('End (s)')).toBe('60');
  });

  it('a box drawn on the paused frame becomes an object clue of that frame', async () => {
    const { fetchImpl } = setup({ category: 'object', modality: 'V' });
    press('.');
    expect(stubs.canvas!.imageUrl).toBe('/api/v1/videos/5/frames/1.jpg');
    expect(stubs.canvas!.disabled).toBe(false);
    expect(stubs.canvas!.drawColor).toBe('#ffe119');
    act(() => stubs.canvas!.onCreate({ x1: 10.04, y1: 20, x2: 110, y2: 220.06 }));
    expect(stubs.canvas!.boxes).toEqual([
      { key: 'clue-0', x1: 10, y1: 20, x2: 110, y2: 220.1, color: '#ffe119', label: '#1' },
    ]);
    expect(stubs.canvas!.selectedKey).toBe('clue-0');
    expect(screen.getByRole('button', { name: /Frame 1 · 00:00.060/ })).toBeTruthy();
    expect(text('running-count')).toBe('Clues: 1 / Count: 3');
    // Another frame shows none of this frame's boxes.
    press('.');
    expect(stubs.canvas!.boxes).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: /Frame 1 · / }));
    expect(stubs.canvas!.boxes).toHaveLength(1);
    // Moving the box updates it.
    act(() => stubs.canvas!.onChange('clue-0', { x1: 20, y1: 30, x2: 120, y2: 230 }));
    expect(stubs.canvas!.boxes[0]).toMatchObject({ x1: 20, y1: 30, x2: 120, y2: 230 });

    fetchImpl.mockResolvedValue(jsonResponse(makeQuestion({ version: 5 })));
    await tick(800);
    expect(request(fetchImpl).body.clues).toEqual([
      { kind: 'object', frame_index: 1, x1: 20, y1: 30, x2: 120, y2: 230, cluster: '' },
    ]);

    act(() => stubs.canvas!.onDelete('clue-0'));
    expect(stubs.canvas!.boxes).toEqual([]);
  });

  it('arrows seek with a box selected; only Alt+arrows move it (the canvas asks for Alt too)', () => {
    const { video } = setup({ category: 'object', modality: 'V', clues: [{ kind: 'object', frame_index: 50, x1: 10, y1: 20, x2: 110, y2: 220, cluster: '' }] });
    fireEvent.click(screen.getByRole('button', { name: /Frame 50 · / }));
    expect(stubs.canvas!.nudgeKey).toBe('alt');
    act(() => stubs.canvas!.onSelect('clue-0'));
    at(video, 10);
    press('ArrowRight', { shiftKey: true });
    expect(video.currentTime).toBeCloseTo(15, 6);
    press('ArrowLeft');
    expect(video.currentTime).toBeCloseTo(14, 6);
    // Back on the box's frame: it did not move.
    at(video, 2.02);
    expect(stubs.canvas!.boxes[0]).toMatchObject({ x1: 10, y1: 20, x2: 110, y2: 220 });
    press('ArrowRight', { altKey: true, shiftKey: true });
    press('ArrowUp', { altKey: true });
    expect(stubs.canvas!.boxes[0]).toMatchObject({ x1: 20, y1: 19, x2: 120, y2: 219 });
    expect(video.currentTime).toBeCloseTo(2.02, 6);
    // Kept inside the frame.
    for (let k = 0; k < 3; k++) press('ArrowUp', { altKey: true, shiftKey: true });
    expect(stubs.canvas!.boxes[0]).toMatchObject({ y1: 0, y2: 200 });
  });

  it('attribute: n with no cluster yet makes cluster 1 and selects it', () => {
    setup({ category: 'attribute', modality: 'V', drafted_answer: 2 });
    press('n');
    expect(valueOf('Name of cluster 1')).toBe('Cluster 1');
    expect(stubs.canvas!.drawColor).toBe(PALETTE[0]);
    act(() => stubs.canvas!.onCreate({ x1: 0, y1: 0, x2: 10, y2: 10 }));
    expect(stubs.canvas!.boxes).toEqual([{ key: 'clue-0', x1: 0, y1: 0, x2: 10, y2: 10, color: PALETTE[0], label: 'Cluster 1' }]);
    // With a cluster, n goes on cycling (one cluster: stays).
    press('n');
    expect(screen.queryByLabelText('Name of cluster 2')).toBeNull();
  });

  it('while playing the canvas gets no frame and draws nothing', () => {
    setup({ category: 'object', modality: 'V' });
    press(' ');
    expect(stubs.canvas!.imageUrl).toBeNull();
    expect(stubs.canvas!.disabled).toBe(true);
    act(() => stubs.canvas!.onCreate({ x1: 0, y1: 0, x2: 10, y2: 10 }));
    expect(text('running-count')).toBe('Clues: 0 / Count: 3');
  });

  it("attribute: a new cluster takes the project's next unused name, and the name field offers the vocabulary", () => {
    setup({ category: 'attribute', modality: 'V', drafted_answer: 2 }, { labels: { objects: [], clusters: ['red', 'blue'] } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a cluster' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add a cluster' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add a cluster' }));
    expect([1, 2, 3].map((n) => valueOf(`Name of cluster ${n}`))).toEqual(['red', 'blue', 'Cluster 3']);
    const options = [...screen.getByTestId('cluster-labels').querySelectorAll('option')].map((o) => o.value);
    expect(options).toEqual(['red', 'blue']);
    expect(screen.getByLabelText('Name of cluster 1').getAttribute('list')).toBe('ws-cluster-labels');
    act(() => stubs.canvas!.onCreate({ x1: 0, y1: 0, x2: 10, y2: 10 }));
    expect(stubs.canvas!.boxes[0]!.label).toBe('Cluster 3');
  });

  it('attribute: a cluster first, then boxes in the selected cluster', () => {
    setup({ category: 'attribute', modality: 'V', drafted_answer: 2 });
    act(() => stubs.canvas!.onCreate({ x1: 0, y1: 0, x2: 10, y2: 10 }));
    expect(screen.getByText(/Add a cluster first/)).toBeTruthy();
    expect(text('running-count')).toBe('Clues: 0 / Count: 2');

    fireEvent.click(screen.getByRole('button', { name: 'Add a cluster' }));
    expect(valueOf('Name of cluster 1')).toBe('Cluster 1');
    expect(stubs.canvas!.drawColor).toBe(PALETTE[0]);
    act(() => stubs.canvas!.onCreate({ x1: 0, y1: 0, x2: 10, y2: 10 }));
    expect(stubs.canvas!.boxes).toEqual([
      { key: 'clue-0', x1: 0, y1: 0, x2: 10, y2: 10, color: PALETTE[0], label: 'Cluster 1' },
    ]);
    expect(text('running-count')).toBe('Clues: 1 / Count: 2');
    expect(screen.getByText('1 box')).toBeTruthy();

    // Rename: the boxes follow.
    const name = screen.getByLabelText('Name of cluster 1');
    fireEvent.change(name, { target: { value: 'red shirt' } });
    fireEvent.blur(name);
    expect(stubs.canvas!.boxes[0]!.label).toBe('red shirt');

    // A second cluster is selected on creation; n goes to the next one.
    fireEvent.click(screen.getByRole('button', { name: 'Add a cluster' }));
    expect(stubs.canvas!.drawColor).toBe(PALETTE[1]);
    act(() => stubs.canvas!.onCreate({ x1: 20, y1: 20, x2: 30, y2: 30 }));
    expect(stubs.canvas!.boxes[1]).toMatchObject({ color: PALETTE[1], label: 'Cluster 2' });
    expect(text('running-count')).toBe('Clues: 2 / Count: 2');
    expect(screen.getByTestId('running-count').className).not.toContain('ws-count-mismatch');
    press('n');
    expect(stubs.canvas!.drawColor).toBe(PALETTE[0]);
    expect(screen.getByRole('button', { name: 'Select red shirt' }).getAttribute('aria-pressed')).toBe('true');

    // Deleting a cluster takes its boxes.
    fireEvent.click(screen.getByRole('button', { name: 'Delete cluster Cluster 2 and its 1 boxes' }));
    expect(text('running-count')).toBe('Clues: 1 / Count: 2');
    expect(stubs.canvas!.boxes).toHaveLength(1);
  });

  it('undo and redo, coalescing typing', () => {
    setup();
    const question = screen.getByLabelText('Question');
    fireEvent.change(question, { target: { value: 'How many' } });
    fireEvent.change(question, { target: { value: 'How many barks?' } });
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '5' } });
    press('z', { ctrlKey: true });
    expect(valueOf('Drafted count')).toBe('3');
    expect(valueOf('Question')).toBe('How many barks?');
    press('z', { ctrlKey: true });
    expect(valueOf('Question')).toBe('How many times does the dog bark?');
    expect((screen.getByRole('button', { name: 'Undo' }) as HTMLButtonElement).disabled).toBe(true);
    press('z', { ctrlKey: true, shiftKey: true });
    expect(valueOf('Question')).toBe('How many barks?');
    press('y', { ctrlKey: true });
    expect(valueOf('Drafted count')).toBe('5');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(valueOf('Drafted count')).toBe('3');
    fireEvent.click(screen.getByRole('button', { name: 'Redo' }));
    expect(valueOf('Drafted count')).toBe('5');
  });

  it('autosaves 800 ms after the last change with the version, and adopts the new one', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '4' } });
    expect(saveStatus()).toBe('Unsaved changes');
    expect(JSON.parse(localStorage.getItem(localKey(7))!)).toMatchObject({ baseVersion: 4, doc: { drafted_answer: 4 } });
    await tick(500);
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '5' } });
    await tick(799);
    expect(fetchImpl).not.toHaveBeenCalled();

    let answer!: (r: Response) => void;
    fetchImpl.mockReturnValueOnce(new Promise<Response>((r) => (answer = r)));
    await tick(1);
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(request(fetchImpl)).toMatchObject({
      url: '/api/v1/questions/7/',
      method: 'PUT',
      body: { version: 4, drafted_answer: 5, text: 'How many times does the dog bark?' },
    });
    expect(saveStatus()).toBe('Saving…');
    // An edit while the save runs is kept and goes with the next save.
    fireEvent.change(screen.getByLabelText('Question'), { target: { value: 'How many barks?' } });
    await act(async () => answer(jsonResponse(makeQuestion({ drafted_answer: 5, version: 5 }))));
    expect(screen.getByText('version 5')).toBeTruthy();
    expect(valueOf('Question')).toBe('How many barks?');
    expect(saveStatus()).toBe('Unsaved changes');

    fetchImpl.mockResolvedValueOnce(jsonResponse(makeQuestion({ text: 'How many barks?', drafted_answer: 5, version: 6 })));
    await tick(800);
    expect(request(fetchImpl).body).toMatchObject({ version: 5, text: 'How many barks?', drafted_answer: 5 });
    expect(saveStatus()).toBe('Saved');
    expect(screen.getByText('version 6')).toBeTruthy();
    expect(localStorage.getItem(localKey(7))).toBeNull();
  });

  it('saves at once when the window loses focus', async () => {
    const { fetchImpl } = setup();
    fetchImpl.mockResolvedValue(jsonResponse(makeQuestion({ drafted_answer: 4, version: 5 })));
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '4' } });
    await act(async () => {
      window.dispatchEvent(new Event('blur'));
    });
    expect(fetchImpl).toHaveBeenCalledOnce();
    await tick(1000);
    expect(fetchImpl).toHaveBeenCalledOnce();
  });

  it('409: shows the newer version; re-apply sends ours with its version', async () => {
    const { fetchImpl, video } = setup();
    at(video, 12);
    press('i');
    at(video, 13);
    press('o');
    const theirs = makeQuestion({ version: 9, text: 'How many barks, really?', drafted_answer: 2 });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Stale version.', current: theirs }, 409));
    await tick(800);
    expect(saveStatus()).toBe('Not saved: the question changed on the server');
    const panel = screen.getByRole('alert', { name: 'Conflict' });
    expect(within(panel).getByText(/now version 9/)).toBeTruthy();
    expect(within(panel).getByText('How many barks, really?')).toBeTruthy();
    expect(within(panel).getByText('1 (counting 1)')).toBeTruthy();
    // No more saves until the annotator chooses.
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '1' } });
    await tick(5000);
    expect(fetchImpl).toHaveBeenCalledOnce();

    fetchImpl.mockImplementationOnce(async () => jsonResponse(echo(fetchImpl)));
    fireEvent.click(within(panel).getByRole('button', { name: 'Re-apply my changes on the newer version' }));
    await tick(0);
    expect(request(fetchImpl).body).toMatchObject({
      version: 9,
      drafted_answer: 1,
      clues: [{ kind: 'event', start: 12, end: 13 }],
    });
    expect(screen.queryByRole('alert', { name: 'Conflict' })).toBeNull();
    expect(saveStatus()).toBe('Saved');
    expect(screen.getByText('version 10')).toBeTruthy();
  });

  it('409: re-apply merges: only the fields changed here go back, the other tab’s fields stay, collisions are named', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '7' } });
    // The other tab changed the text (a field this page never touched) and the drafted count too.
    const theirs = makeQuestion({ version: 9, text: 'Edited in the other tab', drafted_answer: 2 });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Stale version.', current: theirs }, 409));
    await tick(800);
    const panel = screen.getByRole('alert', { name: 'Conflict' });
    expect(within(panel).getByTestId('conflict-merge').textContent).toContain('Re-applying puts back only what you changed: drafted count.');
    expect(within(panel).getByTestId('conflict-merge').textContent).toContain('Kept as on the server: question.');
    expect(within(panel).getByTestId('conflict-collisions').textContent).toContain('drafted count');

    fetchImpl.mockImplementationOnce(async () => jsonResponse(echo(fetchImpl, theirs)));
    fireEvent.click(within(panel).getByRole('button', { name: 'Re-apply my changes on the newer version' }));
    await tick(0);
    expect(request(fetchImpl).body).toMatchObject({ version: 9, text: 'Edited in the other tab', drafted_answer: 7 });
    expect(screen.getByText(/Re-applied your drafted count; changed on both sides, yours kept: drafted count/)).toBeTruthy();
  });

  it('409 whose newer document already equals this page’s is no conflict', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '7' } });
    fetchImpl.mockResolvedValueOnce(
      jsonResponse({ detail: 'Stale version.', current: makeQuestion({ version: 5, drafted_answer: 7 }) }, 409),
    );
    await tick(800);
    expect(screen.queryByRole('alert', { name: 'Conflict' })).toBeNull();
    expect(screen.getByText('version 5')).toBeTruthy();
    expect(localStorage.getItem(localKey(7))).toBeNull();
  });

  it('on load, a journal of an older version equal to the server’s document (keys in another order) is no conflict', () => {
    const server = makeQuestion({ version: 6, clues: [eventClue(1, 2)] });
    localStorage.setItem(
      localKey(7),
      JSON.stringify({ baseVersion: 5, doc: { ...editableOf(server), clues: [{ end: 2, start: 1, kind: 'event' }] }, savedAt: Date.now() }),
    );
    setup({ version: 6, clues: [eventClue(1, 2)] });
    expect(screen.queryByRole('alert', { name: 'Conflict' })).toBeNull();
  });

  it('409: discard mine shows the server version', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '7' } });
    const theirs = makeQuestion({ version: 9, drafted_answer: 2 });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Stale version.', current: theirs }, 409));
    await tick(800);
    fireEvent.click(screen.getByRole('button', { name: 'Discard mine' }));
    expect(valueOf('Drafted count')).toBe('2');
    expect(saveStatus()).toBe('Saved');
    expect(screen.getByText('version 9')).toBeTruthy();
    expect(localStorage.getItem(localKey(7))).toBeNull();
    await tick(2000);
    expect(fetchImpl).toHaveBeenCalledOnce();
  });

  it('400: shows the server message next to the clue and keeps the document', async () => {
    const { fetchImpl, container } = setup({ clues: [eventClue(11, 12)] });
    fireEvent.change(screen.getByLabelText('Event 1 end'), { target: { value: '12.5' } });
    fetchImpl.mockResolvedValueOnce(
      jsonResponse({ detail: 'Invalid clues.', errors: { 'clues[0]': 'Overlaps another event.' } }, 400),
    );
    await tick(800);
    expect(saveStatus()).toMatch(/^Not saved: fix the marked problems/);
    const row = container.querySelector('[data-clue-key="clue-0"]')!;
    expect(within(row as HTMLElement).getByText('Overlaps another event.')).toBeTruthy();
    expect(screen.getByText('Not saved. Clue #1: Overlaps another event.')).toBeTruthy();
    expect(valueOf('Event 1 end')).toBe('12.5');
    expect(JSON.parse(localStorage.getItem(localKey(7))!).doc.clues).toEqual([{ kind: 'event', start: 11, end: 12.5 }]);
  });

  it('a save error shows as a toast out of the flow: nothing above the player is added or removed', async () => {
    const { fetchImpl, container } = setup({ clues: [eventClue(11, 12)] });
    const before = (container.querySelector('.ws-layout')!.previousElementSibling as HTMLElement).outerHTML;
    fireEvent.change(screen.getByLabelText('Event 1 end'), { target: { value: '12.5' } });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Invalid clues.', errors: { 'clues[0]': 'Overlaps another event.' } }, 400));
    await tick(800);
    const toast = screen.getByTestId('save-toast');
    // Said in words, under the name of the field, not the server's field path.
    expect(toast.textContent).toBe('Not saved. Clue #1: Overlaps another event.');
    expect(toast.closest('.ws-toasts')).toBe(screen.getByTestId('toasts'));
    // The same elements lie before the layout with and without the message: the toasts box is always there.
    const toasts = screen.getByTestId('toasts');
    expect(container.querySelector('.ws-layout')!.previousElementSibling).toBe(toasts);
    expect(before).toContain('data-testid="toasts"');
    const notices = Array.from(container.querySelector('.ws')!.children).map((el) => el.className);
    expect(notices).toEqual(['ws-header', 'ws-toasts', 'ws-layout']);
  });

  it('offline: keeps the journal and sends again when the browser is back online', async () => {
    const { fetchImpl } = setup();
    fetchImpl.mockRejectedValue(new TypeError('Failed to fetch'));
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '6' } });
    await tick(800);
    expect(saveStatus()).toBe('Offline — changes kept in this browser');
    expect(JSON.parse(localStorage.getItem(localKey(7))!)).toMatchObject({ baseVersion: 4, doc: { drafted_answer: 6 } });
    // It retries by itself, backing off.
    await tick(1000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);

    fetchImpl.mockReset();
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(request(fetchImpl).body).toMatchObject({ version: 4, drafted_answer: 6 });
    expect(saveStatus()).toBe('Saved');
    expect(localStorage.getItem(localKey(7))).toBeNull();
  });

  it('on load, re-applies a journal made on the current version and saves it', async () => {
    saveLocal(7, 4, { ...editableOf(makeQuestion()), drafted_answer: 8 });
    const { fetchImpl } = setup();
    expect(valueOf('Drafted count')).toBe('8');
    expect(screen.queryByRole('alert', { name: 'Conflict' })).toBeNull();
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    await tick(800);
    expect(request(fetchImpl).body).toMatchObject({ version: 4, drafted_answer: 8 });
    expect(saveStatus()).toBe('Saved');
  });

  it('on load, a journal made on an older version shows the conflict', async () => {
    saveLocal(7, 2, { ...editableOf(makeQuestion()), drafted_answer: 8 });
    const { fetchImpl } = setup();
    const panel = screen.getByRole('alert', { name: 'Conflict' });
    expect(within(panel).getByText(/made on version 2; the server has version 4/)).toBeTruthy();
    await tick(2000);
    expect(fetchImpl).not.toHaveBeenCalled();
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    fireEvent.click(within(panel).getByRole('button', { name: 'Re-apply my changes on the newer version' }));
    await tick(0);
    expect(request(fetchImpl).body).toMatchObject({ version: 4, drafted_answer: 8 });
  });

  it('on load, a journal of a question no longer editable is not applied and is kept', async () => {
    saveLocal(7, 4, { ...editableOf(makeQuestion()), drafted_answer: 8 });
    const stored = localStorage.getItem(localKey(7));
    const { fetchImpl } = setup({ state: 'arbitration' });
    expect(valueOf('Drafted count')).toBe('3');
    expect(screen.queryByRole('alert', { name: 'Conflict' })).toBeNull();
    expect(saveStatus()).toBe('Read only');
    await tick(2000);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(localStorage.getItem(localKey(7))).toBe(stored);
  });

  it('a question someone else holds is read only; a reviewer takes it over and edits', async () => {
    const held = { username: 'ann', since: '2026-12-05T10:00:00Z' };
    const base = makeData({ editable: false, held_by: held, can_take_over: true });
    const { fetchImpl } = setup({ editable: false, held_by: held, can_take_over: true }, {
      urls: { ...base.urls, take_over: '/api/v1/question-docs/7/take-over/' },
    });
    expect(screen.getByTestId('held-notice').textContent).toContain('ann is working on this question');
    expect(saveStatus()).toBe('Read only');
    expect((screen.getByLabelText('Drafted count') as HTMLInputElement).disabled).toBe(true);
    fetchImpl.mockResolvedValueOnce(jsonResponse(makeQuestion({ editable: true, held_by: null, can_take_over: false })));
    fireEvent.click(screen.getByRole('button', { name: 'Take it over' }));
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/v1/question-docs/7/take-over/');
    expect(init?.method).toBe('POST');
    expect(screen.queryByTestId('held-notice')).toBeNull();
    expect((screen.getByLabelText('Drafted count') as HTMLInputElement).disabled).toBe(false);
  });

  it('an annotator sees who holds the question but gets no take-over button', () => {
    setup({ editable: false, held_by: { username: 'ann', since: '2026-12-05T10:00:00Z' }, can_take_over: false });
    expect(screen.getByTestId('held-notice').textContent).toContain('ann is working on this question');
    expect(screen.queryByRole('button', { name: 'Take it over' })).toBeNull();
  });

  it('409 with a question no longer editable: read only, with a notice and no re-apply', async () => {
    const { fetchImpl } = setup();
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '7' } });
    const theirs = makeQuestion({ version: 9, state: 'pooled' });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'Already submitted.', current: theirs }, 409));
    await tick(800);
    expect(screen.getByTestId('locked-notice').textContent).toBe(
      'This question was submitted or is under review; it can no longer be edited here.',
    );
    expect(saveStatus()).toBe('Read only');
    expect((screen.getByLabelText('Drafted count') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Re-apply my changes on the newer version' })).toBeNull();
    expect(JSON.parse(localStorage.getItem(localKey(7))!).doc.drafted_answer).toBe(7);
    await tick(5000);
    expect(fetchImpl).toHaveBeenCalledOnce();
  });

  it('warns before leaving with unsaved work; the pagehide save is keepalive', async () => {
    const { fetchImpl } = setup();
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '4' } });
    expect(leave()).toBe(true);
    fetchImpl.mockImplementation(async () => jsonResponse(echo(fetchImpl)));
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
    });
    await tick(0);
    expect(fetchImpl.mock.calls[0]![1]).toMatchObject({ method: 'PUT', keepalive: true });
    expect(saveStatus()).toBe('Saved');
    expect(leave()).toBe(false);
  });

  it('clicked side-panel buttons and the speed select leave the keys to the shortcuts', () => {
    setup();
    for (const name of ['Set start from player', 'Set end from player', 'Start event here', 'End event here']) {
      const button = screen.getByRole('button', { name });
      // fireEvent returns false when the default (taking the focus) was prevented.
      expect(fireEvent.mouseDown(button)).toBe(false);
    }
    const speed = screen.getByLabelText(/Speed/) as HTMLSelectElement;
    speed.focus();
    expect(document.activeElement).toBe(speed);
    fireEvent.change(speed, { target: { value: speed.options[0]!.value } });
    expect(document.activeElement).not.toBe(speed);
  });

  it('submit saves first, then posts the version and shows where the question went', async () => {
    const { fetchImpl } = setup({ clues: [eventClue(8, 9), eventClue(12, 13)] });
    fireEvent.change(screen.getByLabelText('Drafted count'), { target: { value: '2' } });
    const pooled = makeQuestion({ drafted_answer: 2, clues: [eventClue(8, 9), eventClue(12, 13)], state: 'pooled', version: 6 });
    fetchImpl
      .mockImplementationOnce(async () => jsonResponse(echo(fetchImpl, makeQuestion({ clues: [eventClue(8, 9), eventClue(12, 13)] }))))
      .mockResolvedValueOnce(jsonResponse({ question: pooled, outcome: 'pooled', message: 'Clues match the count.' }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(request(fetchImpl, 0)).toMatchObject({ method: 'PUT', body: { version: 4, drafted_answer: 2 } });
    expect(request(fetchImpl, 1)).toEqual({ url: '/api/v1/questions/7/submit/', method: 'POST', body: { version: 5 } });
    expect(text('outcome')).toContain('In the pool, final interval 00:08.000–00:20.000');
    expect(text('outcome')).not.toContain('Clues match the count.'); // said once, not twice
    expect(screen.getByRole('link', { name: 'Next question' }).getAttribute('href')).toBe('/annotate/next/');
    expect(screen.getByText('In the candidate pool')).toBeTruthy();
    // Submitted: read only.
    expect(saveStatus()).toBe('Read only');
    expect((screen.getByLabelText('Question') as HTMLTextAreaElement).disabled).toBe(true);
  });

  it('Ctrl+Enter submits; a mismatch goes to arbitration', async () => {
    const { fetchImpl } = setup({ clues: [eventClue(11, 12)] });
    const sent = makeQuestion({ clues: [eventClue(11, 12)], state: 'arbitration', version: 5 });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ question: sent, outcome: 'arbitration', message: '' }));
    press('Enter', { ctrlKey: true });
    await tick(0);
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(request(fetchImpl)).toMatchObject({ method: 'POST', body: { version: 4 } });
    expect(text('outcome')).toContain('Sent to arbitration: 1 clue for a count of 3');
  });

  it('a submitted second pass says it is recorded for the agreement score', async () => {
    const { fetchImpl } = setup({ state: 'second_pass', editable: true, clues: [eventClue(11, 12)], drafted_answer: 1 });
    const done = makeQuestion({ clues: [eventClue(11, 12)], drafted_answer: 1, state: 'second_pass', version: 5, editable: false });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ question: done, outcome: 'agreement', message: '' }));
    press('Enter', { ctrlKey: true });
    await tick(0);
    expect(text('outcome')).toContain('Second pass recorded for the agreement score');
  });

  it('submit refuses an unfinished draft without asking the server', async () => {
    const { fetchImpl } = setup({ drafted_answer: null });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await tick(0);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(screen.getByText('Not submitted: fix the marked problems first.')).toBeTruthy();
    expect(screen.getByText('Draft the count before submitting.')).toBeTruthy();
  });

  it('a reader can play but not edit', async () => {
    const { fetchImpl } = setup({}, { can_annotate: false });
    expect(saveStatus()).toBe('Read only');
    expect((screen.getByLabelText('Drafted count') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Submit' }) as HTMLButtonElement).disabled).toBe(true);
    press('[');
    press('.');
    expect(text('position')).toBe('00:00.060 · frame 1');
    expect(valueOf('Start (s)')).toBe('10');
    await tick(2000);
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe('WorkspaceApp comments', () => {
  it('shows the comments, marks the open ones on the timeline and seeks to them', () => {
    const { video } = setup({}, {
      comments: [
        makeComment({ review_decision: 'send_back' }),
        makeComment({ id: 32, time: null, frame_index: 100 }),
        makeComment({ id: 33, time: 5, resolved_at: '2026-03-02T10:00:00Z', resolved_by_name: 'ann' }),
      ],
    });
    const panel = within(screen.getByRole('region', { name: 'Comments' }));
    expect(panel.getAllByTestId('comment')).toHaveLength(3);
    expect(panel.getByText('Sent back')).toBeTruthy();
    const markers = stubs.timeline!.regions.filter((r) => r.key.startsWith('comment-'));
    expect(markers).toEqual([
      { key: 'comment-31', start: 12.3, end: 12.3, color: '#d97706', label: 'comment', editable: false },
      { key: 'comment-32', start: 4.02, end: 4.02, color: '#d97706', label: 'comment', editable: false },
    ]);

    fireEvent.click(panel.getByRole('button', { name: '12.3 s' }));
    expect(video.currentTime).toBeCloseTo(12.3);
    expect(text('position')).toContain('frame 307');
    fireEvent.click(panel.getByRole('button', { name: 'frame 100' }));
    expect(text('position')).toContain('frame 100');
    // A marker clicked on the timeline goes to its comment and selects nothing.
    act(() => stubs.timeline!.onSelect('comment-31'));
    expect(video.currentTime).toBeCloseTo(12.3);
    expect(stubs.timeline!.selectedKey).toBeNull();
  });

  it('adds a comment at the playhead and marks it', async () => {
    const { video, fetchImpl } = setup();
    at(video, 4.5);
    fireEvent.change(screen.getByLabelText('New comment'), { target: { value: 'Listen again here' } });
    fetchImpl.mockResolvedValueOnce(jsonResponse(makeComment({ id: 50, text: 'Listen again here', time: 4.5 }), 201));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment at 4.5 s' }));
    });
    expect(request(fetchImpl).url).toBe('/api/v1/comments/');
    expect(request(fetchImpl).body).toEqual({ question: 7, text: 'Listen again here', time: 4.5 });
    expect(stubs.timeline!.regions.some((r) => r.key === 'comment-50' && r.start === 4.5)).toBe(true);
    // Typing the comment triggered no shortcut and no save of the question.
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(saveStatus()).toBe('Saved');
  });

  it('anchors a comment on a box question to the frame shown', async () => {
    const { fetchImpl } = setup({ category: 'object', clues: [] });
    for (let k = 0; k < 3; k += 1) press('.');
    fireEvent.change(screen.getByLabelText('New comment'), { target: { value: 'Box the dog here' } });
    fetchImpl.mockResolvedValueOnce(jsonResponse(makeComment({ id: 51, time: null, frame_index: 3 }), 201));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment at frame 3' }));
    });
    expect(request(fetchImpl).body).toEqual({ question: 7, text: 'Box the dog here', frame_index: 3 });
  });

  it('without the right to comment, only reads', () => {
    setup({}, { can_comment: false, comments: [makeComment({ can_resolve: false })] });
    expect(screen.queryByLabelText('New comment')).toBeNull();
    expect(screen.getAllByTestId('comment')).toHaveLength(1);
  });
});
