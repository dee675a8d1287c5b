import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoxCanvasProps, TimelineProps } from '../components';
import { attributeQuestion, makeEvent, makeEventVideo, makeQuestion, makeVideo } from './fixtures';
import { ReviewApp } from './ReviewApp';
import type { ReviewData } from './types';

// The canvas and the timeline draw on canvases jsdom lacks: stubs keep their props.
const stubs = vi.hoisted(() => ({ canvases: [] as BoxCanvasProps[], timeline: null as TimelineProps | null }));

vi.mock('../components', async (importOriginal) => {
  const { createElement } = await import('react');
  return {
    ...(await importOriginal<typeof import('../components')>()),
    BoxCanvas: (props: BoxCanvasProps) => {
      stubs.canvases.push(props);
      return createElement('div', { 'data-testid': 'box-canvas' });
    },
    Timeline: (props: TimelineProps) => {
      stubs.timeline = props;
      return createElement('div', { 'data-testid': 'timeline' });
    },
  };
});

let side: HTMLElement;
let timeInput: HTMLInputElement;

beforeEach(() => {
  stubs.canvases = [];
  stubs.timeline = null;
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
  side = document.createElement('div');
  const field = document.createElement('span');
  timeInput = document.createElement('input');
  field.append(timeInput);
  document.body.append(side, field);
});

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

const lastCanvas = () => stubs.canvases[stubs.canvases.length - 1]!;
const press = (key: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(document.body, { key, ...init });

function show(data: ReviewData) {
  const utils = render(<ReviewApp data={data} listTarget={side} timeInput={timeInput} />);
  return { ...utils, video: utils.container.querySelector('video') };
}

describe('a question under review', () => {
  it('shows the video, the reference interval and the clues on the timeline, read-only, and lists the clues', () => {
    const { video } = show({ kind: 'question', blind: false, question: makeQuestion(), video: makeVideo() });
    expect(video?.getAttribute('src')).toBe('/media/proxy/5.mp4');
    expect(stubs.timeline!.regions.map((r) => [r.key, r.start, r.end, r.editable])).toEqual([
      ['ref', 0, 3.5, false],
      ['clue-0', 0.4, 0.8, false],
      ['clue-1', 1.9, 2.3, false],
    ]);
    expect(stubs.canvases).toEqual([]); // an event question has no boxes
    const clues = within(side).getAllByTestId('clue');
    expect(clues.map((c) => c.textContent)).toEqual(['#100:00.400 – 00:00.800 (0.40 s)', '#200:01.900 – 00:02.300 (0.40 s)']);
  });

  it('goes to a clue from the list, by n / p, and marks it on the timeline', () => {
    const { video } = show({ kind: 'question', blind: false, question: makeQuestion(), video: makeVideo() });
    fireEvent.click(within(side).getAllByTestId('clue')[1]!);
    expect(video!.currentTime).toBeCloseTo(1.9);
    expect(stubs.timeline!.selectedKey).toBe('clue-1');
    expect(within(side).getAllByTestId('clue')[1]!.getAttribute('aria-current')).toBe('true');
    press('p');
    expect(video!.currentTime).toBeCloseTo(0.4);
    expect(stubs.timeline!.selectedKey).toBe('clue-0');
    press('Escape');
    expect(stubs.timeline!.selectedKey).toBeNull();
  });

  it('draws the boxes of the frame shown on the read-only canvas', () => {
    const { video } = show({ kind: 'question', blind: false, question: attributeQuestion(), video: makeVideo() });
    expect(lastCanvas().disabled).toBe(true);
    expect(lastCanvas().boxes).toEqual([]);
    press('n');
    expect(video!.currentTime).toBeCloseTo(50.5 / 25);
    act(() => {
      fireEvent(video!, new Event('timeupdate'));
    });
    expect(lastCanvas().imageUrl).toBe('/api/v1/videos/5/frames/50.jpg');
    expect(lastCanvas().boxes.map((b) => [b.key, b.label])).toEqual([
      ['clue-1', 'red'],
      ['clue-2', 'blue'],
    ]);
    expect(screen.getByTestId('here').textContent).toBe('Frame 50: red, blue');
    expect(within(side).getByTestId('cluster-counts').textContent).toContain('green 0');
    // A box's marker on the timeline goes to its exact frame.
    act(() => stubs.timeline!.onSelect('clue-0'));
    expect(video!.currentTime).toBeCloseTo(75.5 / 25);
  });

  it('fills the comment’s time from the player', () => {
    const { video } = show({ kind: 'question', blind: false, question: makeQuestion(), video: makeVideo() });
    fireEvent.click(within(side).getAllByTestId('clue')[1]!);
    act(() => {
      fireEvent(video!, new Event('timeupdate'));
    });
    fireEvent.click(screen.getByTestId('use-player-time'));
    expect(timeInput.value).toBe('1.9');
  });

  it('keeps a blind question blind: the reference interval only, no clue list', () => {
    const question = makeQuestion({ drafted_answer: null, clues: [] });
    show({ kind: 'question', blind: true, question, video: makeVideo() });
    expect(stubs.timeline!.regions.map((r) => r.key)).toEqual(['ref']);
    expect(screen.getByTestId('here').textContent).toContain('stay hidden');
  });

  it('says so when the video has no proxy, and lists the clues without going to them', () => {
    show({ kind: 'question', blind: false, question: makeQuestion(), video: makeVideo({ proxy_url: null, frame_url_template: null }) });
    expect(screen.getByRole('status').textContent).toContain('no processed proxy');
    expect(within(side).getAllByTestId('clue').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });
});

describe('an R-AVST event under audit', () => {
  it('shows every sampled frame with its boxes and the first one large', () => {
    const { container } = show({ kind: 'event', event: makeEvent(), video: makeEventVideo() });
    const frames = screen.getAllByTestId('event-frame');
    expect(frames.map((f) => [f.dataset.frame, f.dataset.boxes])).toEqual([
      ['7', '1'],
      ['32', '2'],
      ['57', '0'],
    ]);
    expect(container.querySelectorAll('[data-testid=frame-box]')).toHaveLength(3);
    expect(lastCanvas().imageUrl).toBe('/api/v1/videos/9/frames/7.jpg');
    expect(lastCanvas().disabled).toBe(true);
    expect(lastCanvas().boxes.map((b) => b.key)).toEqual(['box-11']);
  });

  it('goes through the seconds by arrow and click, and brings an object forward', () => {
    show({ kind: 'event', event: makeEvent(), video: makeEventVideo() });
    press('ArrowRight');
    expect(screen.getByTestId('current-second').textContent).toBe('Second 2 / 3 · 1.3 s · frame 32');
    expect(lastCanvas().boxes.map((b) => b.key)).toEqual(['box-12', 'box-21']);
    fireEvent.click(within(side).getAllByTestId('object')[0]!);
    expect(lastCanvas().boxes.map((b) => b.key)).toEqual(['box-21', 'box-12']);
    fireEvent.click(screen.getAllByTestId('event-frame')[2]!);
    expect(screen.getByTestId('current-second').dataset.frame).toBe('57');
    press('ArrowRight');
    expect(screen.getByTestId('current-second').dataset.frame).toBe('57');
    expect(within(side).getAllByTestId('object').map((o) => o.textContent)).toEqual([
      'dogvisible and audible2 boxes · none in 1 s',
      'ballvisible only1 box · none in 2 s',
    ]);
  });

  it('says so when the frames cannot be shown', () => {
    show({ kind: 'event', event: makeEvent(), video: makeEventVideo({ frame_url_template: null }) });
    expect(screen.getByRole('status').textContent).toContain('frames cannot be shown');
    expect(within(side).getAllByTestId('object')).toHaveLength(2);
  });
});
