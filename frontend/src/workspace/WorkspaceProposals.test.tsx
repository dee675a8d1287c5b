import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimelineHandle, TimelineProps } from '../components';
import { jsonResponse, makeData } from './fixtures';
import type { ClueProposal, QuestionDoc } from './types';
import { WorkspaceApp } from './WorkspaceApp';

const stubs = vi.hoisted(() => ({ timeline: null as TimelineProps | null, handle: null as TimelineHandle | null }));

vi.mock('../components', async (importOriginal) => {
  const { createElement, useImperativeHandle } = await import('react');
  return {
    ...(await importOriginal<typeof import('../components')>()),
    Timeline: (props: TimelineProps) => {
      stubs.timeline = props;
      useImperativeHandle(props.ref, () => stubs.handle!);
      return createElement('div', { 'data-testid': 'timeline' });
    },
  };
});

const proposal = (id: number, start: number, end: number, score: number): ClueProposal => ({
  id, question: 7, kind: 'event', start, end, score, model: 'acoustic-onsets', model_version: '1', state: 'proposed',
});
const PROPOSALS = [proposal(1, 11, 11.5, 0.95), proposal(2, 12, 12.4, 0.9), proposal(3, 15, 15.8, 0.3), proposal(4, 18, 18.2, 0.7)];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  stubs.handle = {
    zoomIn: vi.fn(), zoomOut: vi.fn(), zoomToFit: vi.fn(), zoomToFrames: vi.fn(), showSpectrogram: vi.fn(),
    visibleRange: () => ({ start: 0, end: 16 }),
  };
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.useRealTimers();
});

const tick = (ms: number) => act(async () => {
  await vi.advanceTimersByTimeAsync(ms);
});
const press = (key: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(document.body, { key, ...init });

async function setup(list: { proposals: ClueProposal[]; computing: boolean; unavailable?: string | null } = { proposals: PROPOSALS, computing: false }) {
  const saves: Record<string, unknown>[] = [];
  let version = 4;
  const fetchImpl = vi.fn<typeof fetch>((input, init) => {
    if (init?.method === 'PUT') {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      saves.push(body);
      version += 1;
      return Promise.resolve(jsonResponse({ ...makeData().question, ...body, version } as QuestionDoc));
    }
    if (String(input).endsWith('/proposals/')) return Promise.resolve(jsonResponse({ ...list, can_request: false }));
    return Promise.resolve(jsonResponse({}, 404));
  });
  const data = makeData({ state: 'answered' }, {});
  data.urls = { ...data.urls, proposals: '/api/v1/question-docs/7/proposals/', proposal_request: '/api/v1/question-docs/7/proposals/request/' };
  const utils = render(<WorkspaceApp data={data} fetchImpl={fetchImpl} />);
  await tick(0);
  return { ...utils, fetchImpl, saves, video: utils.container.querySelector('video')! };
}

const ghostKeys = () => stubs.timeline!.regions.filter((r) => r.ghost === true).map((r) => r.key);

describe('proposals in the workspace', () => {
  it('show as ghosts with their score, apart from the clues, and the panel lists them', async () => {
    await setup();
    expect(ghostKeys()).toEqual(['proposal-1', 'proposal-2', 'proposal-3', 'proposal-4']);
    expect(stubs.timeline!.regions.find((r) => r.key === 'proposal-1')).toMatchObject({ label: '? 0.95', editable: false });
    expect(screen.getAllByTestId('proposal-row')).toHaveLength(4);
    expect(screen.getByTestId('proposal-status').textContent).toContain('4 open · acoustic-onsets');
    expect(screen.getByTestId('running-count').textContent).toBe('Clues: 0 / Count: 3');
  });

  it('say why there are none when the machine cannot propose any', async () => {
    await setup({ proposals: [], computing: false, unavailable: 'the video has no audio' });
    expect(screen.getByTestId('proposal-status').textContent).toBe('No machine proposals: the video has no audio.');
  });

  it('Tab seeks and selects, Enter accepts and moves on, x rejects, and the save carries both', async () => {
    const { video, saves } = await setup();
    press('Tab');
    expect(stubs.timeline!.selectedKey).toBe('proposal-1');
    expect(video.currentTime).toBe(11);
    press('Enter');
    // Accepted: a clue naming its proposal; the next proposal is selected.
    expect(stubs.timeline!.selectedKey).toBe('proposal-2');
    expect(ghostKeys()).toEqual(['proposal-2', 'proposal-3', 'proposal-4']);
    press('Enter');
    press('x');
    expect(stubs.timeline!.selectedKey).toBe('proposal-4');
    expect(ghostKeys()).toEqual(['proposal-4']);
    expect(screen.getByTestId('running-count').textContent).toBe('Clues: 2 / Count: 3');
    expect(screen.getByTestId('running-count-sources').textContent).toBe('(2 accepted proposals, 0 by hand)');
    press('Tab', { shiftKey: true });
    expect(stubs.timeline!.selectedKey).toBe('proposal-4');
    await tick(3000);
    const last = saves.at(-1)!;
    expect(last.clues).toEqual([
      { kind: 'event', start: 11, end: 11.5, proposal: 1 },
      { kind: 'event', start: 12, end: 12.4, proposal: 2 },
    ]);
    expect(last.rejected_proposals).toEqual([3]);
    // Undo takes the rejection back.
    press('z', { ctrlKey: true });
    expect(ghostKeys()).toEqual(['proposal-3', 'proposal-4']);
  });

  it('Shift+A accepts every proposal in view from the threshold up', async () => {
    await setup();
    press('A', { shiftKey: true });
    // In view 0-16 s, score >= 0.5: proposals 1 and 2 (3 scores 0.3; 4 is out of view).
    expect(ghostKeys()).toEqual(['proposal-3', 'proposal-4']);
    fireEvent.change(screen.getByTestId('proposal-threshold'), { target: { value: '0.2' } });
    press('A', { shiftKey: true });
    expect(ghostKeys()).toEqual(['proposal-4']);
    expect(screen.getByTestId('running-count').textContent).toBe('Clues: 3 / Count: 3');
  });

  it('reads the list again while the proposals are being computed', async () => {
    const { fetchImpl } = await setup({ proposals: [], computing: true });
    expect(screen.getByTestId('proposal-status').textContent).toContain('Computing');
    const gets = () => fetchImpl.mock.calls.filter(([url, init]) => String(url).endsWith('/proposals/') && init?.method === undefined).length;
    const before = gets();
    await tick(2100);
    expect(gets()).toBe(before + 1);
    // With none open, Tab is left to the browser.
    expect(press('Tab')).toBe(true);
  });
});
