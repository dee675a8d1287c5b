import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, makeCandidate, makeData } from './fixtures';
import { Stage1App } from './Stage1App';
import type { Candidate, Stage1Data } from './types';

const C1 = makeCandidate({ id: 1, text: 'How many times does the dog bark?', modality: 'A', query_start: 2, query_end: 4.5 });
const C2 = makeCandidate({ id: 2, text: 'How many cars pass?', modality: 'V', category: 'object', query_start: 10, query_end: 20 });
const C3 = makeCandidate({ id: 3, text: 'How many red shirts?', state: 'accepted', question: 40, version: 2 });
const C4 = makeCandidate({ id: 4, text: 'How many clouds?', state: 'rejected', reject_reason: 'Not countable', version: 2 });
const ALL = [C1, C2, C3, C4];

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

let play: ReturnType<typeof vi.fn>;
let pause: ReturnType<typeof vi.fn>;

beforeEach(() => {
  play = vi.fn(() => Promise.resolve());
  pause = vi.fn();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play as () => Promise<void>);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(pause as () => void);
});

afterEach(() => {
  cleanup();
});

function setup(overrides: Partial<Stage1Data> = {}, candidates: Candidate[] = ALL) {
  const fetchImpl: FetchMock = vi.fn<typeof fetch>();
  const utils = render(<Stage1App data={makeData(candidates, overrides)} fetchImpl={fetchImpl} />);
  return { ...utils, fetchImpl };
}

function rowIds(container: HTMLElement): number[] {
  return Array.from(container.querySelectorAll<HTMLElement>('tr[data-candidate-id]')).map((r) =>
    Number(r.dataset.candidateId),
  );
}

function row(container: HTMLElement, id: number): HTMLElement {
  const el = container.querySelector<HTMLElement>(`tr[data-candidate-id="${id}"]`);
  if (el === null) throw new Error(`no row ${id}`);
  return el;
}

function currentId(container: HTMLElement): number | null {
  const el = container.querySelector<HTMLElement>('tr[aria-current="true"]');
  return el === null ? null : Number(el.dataset.candidateId);
}

const press = (key: string, target: Element = document.body) => fireEvent.keyDown(target, { key });

function request(fetchImpl: FetchMock, index = -1) {
  const [url, init] = fetchImpl.mock.calls.at(index)!;
  return { url, method: init?.method, body: JSON.parse(String(init?.body)) as Record<string, unknown> };
}

const filterButton = (name: RegExp) => screen.getByRole('button', { name });

describe('Stage1App', () => {
  it('renders the proposed candidates first, with counts and the first row selected', () => {
    const { container, fetchImpl } = setup();
    expect(rowIds(container)).toEqual([1, 2]);
    expect(currentId(container)).toBe(1);
    expect(filterButton(/^Proposed \(2\)$/).getAttribute('aria-pressed')).toBe('true');
    expect(filterButton(/^All \(4\)$/).getAttribute('aria-pressed')).toBe('false');
    expect(filterButton(/^Accepted \(1\)$/)).toBeTruthy();
    expect(filterButton(/^Rejected \(1\)$/)).toBeTruthy();

    const r1 = row(container, 1);
    expect(within(r1).getByText('How many times does the dog bark?')).toBeTruthy();
    expect(within(r1).getByText('Event')).toBeTruthy();
    expect(within(r1).getByTitle('Audio').textContent).toBe('A');
    expect(within(r1).getByRole('button', { name: 'Play interval 00:02.0 – 00:04.5' })).toBeTruthy();
    expect(within(r1).getByText('gpt-x')).toBeTruthy();
    expect(within(r1).getByText('Proposed')).toBeTruthy();
    expect(screen.getByLabelText('Park walk').tagName).toBe('VIDEO');
    expect(container.querySelector('.s1-help')?.textContent).toContain('accept');
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('shows the other states under their filters, without usable actions', () => {
    const { container } = setup();
    fireEvent.click(filterButton(/^All/));
    expect(rowIds(container)).toEqual([1, 2, 3, 4]);
    fireEvent.click(filterButton(/^Rejected/));
    expect(rowIds(container)).toEqual([4]);
    const r4 = row(container, 4);
    expect(within(r4).getByText('Not countable')).toBeTruthy();
    for (const name of ['Accept', 'Edit', 'Reject']) {
      expect((within(r4).getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
    fireEvent.click(filterButton(/^Accepted/));
    expect(within(row(container, 3)).getByText('question #40')).toBeTruthy();
  });

  it('undoes a rejection when the server offers it: the candidate is proposed again', async () => {
    const base = makeData(ALL);
    const { container, fetchImpl } = setup({ urls: { ...base.urls, reopen: '/api/v1/candidates/{id}/reopen/' } });
    fireEvent.click(filterButton(/^Rejected/));
    const rejected = ALL[3]!;
    const reopened = { ...rejected, state: 'proposed' as const, reject_reason: '', version: rejected.version + 1 };
    fetchImpl.mockResolvedValueOnce(jsonResponse(reopened));
    fireEvent.click(within(row(container, 4)).getByRole('button', { name: 'Undo rejection' }));
    await act(async () => {});
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/v1/candidates/4/reopen/');
    expect(JSON.parse(String(init?.body))).toEqual({ version: rejected.version });
    fireEvent.click(filterButton(/^Proposed/));
    expect(rowIds(container)).toContain(4);
  });

  it('offers no undo when the server does not', () => {
    const { container } = setup();
    fireEvent.click(filterButton(/^Rejected/));
    expect(within(row(container, 4)).queryByRole('button', { name: 'Undo rejection' })).toBeNull();
  });

  it('j / k and the arrows move the selection', () => {
    const { container } = setup();
    press('j');
    expect(currentId(container)).toBe(2);
    press('j');
    expect(currentId(container)).toBe(2);
    press('k');
    expect(currentId(container)).toBe(1);
    press('ArrowDown');
    expect(currentId(container)).toBe(2);
    press('ArrowUp');
    expect(currentId(container)).toBe(1);
    fireEvent.click(within(row(container, 2)).getByText('How many cars pass?'));
    expect(currentId(container)).toBe(2);
  });

  it('a accepts with the version; the row is busy, then moves to Accepted', async () => {
    const { container, fetchImpl } = setup();
    let resolve!: (r: Response) => void;
    fetchImpl.mockReturnValue(new Promise<Response>((r) => (resolve = r)));
    press('a');
    expect(fetchImpl).toHaveBeenCalledOnce();
    expect(request(fetchImpl)).toEqual({ url: '/api/v1/candidates/1/accept/', method: 'POST', body: { version: 1 } });
    expect(row(container, 1).getAttribute('aria-busy')).toBe('true');
    // A second press while the request runs sends nothing.
    press('a');
    expect(fetchImpl).toHaveBeenCalledOnce();

    await act(async () => resolve(jsonResponse({ ...C1, state: 'accepted', version: 2, question: 41 })));
    expect(rowIds(container)).toEqual([2]);
    expect(currentId(container)).toBe(2);
    expect(filterButton(/^Accepted \(2\)$/)).toBeTruthy();
    fireEvent.click(filterButton(/^Accepted/));
    expect(within(row(container, 1)).getByText('Accepted')).toBeTruthy();
    expect(within(row(container, 1)).getByText('question #41')).toBeTruthy();
  });

  it('r opens the reason, Enter rejects with it', async () => {
    const { container, fetchImpl } = setup();
    press('j');
    press('r');
    const input = screen.getByLabelText('Reason for rejecting');
    expect(document.activeElement).toBe(input);
    // Shortcuts are ignored while typing.
    press('j', input);
    press('a', input);
    expect(currentId(container)).toBe(2);
    expect(fetchImpl).not.toHaveBeenCalled();

    press('Enter', input);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(screen.getByText('Give a reason for rejecting.')).toBeTruthy();

    fetchImpl.mockResolvedValue(jsonResponse({ ...C2, state: 'rejected', reject_reason: 'Duplicate', version: 2 }));
    fireEvent.change(input, { target: { value: ' Duplicate ' } });
    press('Enter', input);
    expect(request(fetchImpl)).toEqual({
      url: '/api/v1/candidates/2/reject/',
      method: 'POST',
      body: { version: 1, reason: 'Duplicate' },
    });
    await waitFor(() => expect(rowIds(container)).toEqual([1]));
    expect(screen.queryByLabelText('Reason for rejecting')).toBeNull();
    fireEvent.click(filterButton(/^Rejected \(2\)$/));
    expect(within(row(container, 2)).getByText('Duplicate')).toBeTruthy();
  });

  it('Esc closes a form without sending anything', () => {
    const { fetchImpl } = setup();
    press('r');
    const input = screen.getByLabelText('Reason for rejecting') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'half typed' } });
    input.focus();
    // Esc in the field only leaves it: the typed text stays.
    press('Escape', input);
    expect((screen.getByLabelText('Reason for rejecting') as HTMLInputElement).value).toBe('half typed');
    expect(document.activeElement).not.toBe(input);
    press('Escape');
    expect(screen.queryByLabelText('Reason for rejecting')).toBeNull();
    press('e');
    expect(screen.getByLabelText('Question')).toBeTruthy();
    press('Escape');
    expect(screen.queryByLabelText('Question')).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('e edits; Save PATCHes the changes with the version and updates the row', async () => {
    const { container, fetchImpl } = setup();
    press('e');
    const text = screen.getByLabelText('Question') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(text);
    expect(text.value).toBe(C1.text);
    expect((screen.getByLabelText('Start (s)') as HTMLInputElement).value).toBe('2');
    expect((screen.getByLabelText('End (s)') as HTMLInputElement).value).toBe('4.5');

    fireEvent.change(text, { target: { value: 'How many times does the dog bark loudly?' } });
    fireEvent.change(screen.getByLabelText('End (s)'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Modality'), { target: { value: 'AV' } });
    fetchImpl.mockResolvedValue(
      jsonResponse({ ...C1, text: 'How many times does the dog bark loudly?', modality: 'AV', query_end: 5, version: 2 }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(request(fetchImpl)).toEqual({
      url: '/api/v1/candidates/1/',
      method: 'PATCH',
      body: { version: 1, text: 'How many times does the dog bark loudly?', modality: 'AV', query_start: 2, query_end: 5 },
    });
    await waitFor(() => expect(screen.queryByLabelText('Question')).toBeNull());
    const r1 = row(container, 1);
    expect(within(r1).getByText('How many times does the dog bark loudly?')).toBeTruthy();
    expect(within(r1).getByRole('button', { name: 'Play interval 00:02.0 – 00:05.0' })).toBeTruthy();
    expect(within(r1).getByTitle('Audio-visual')).toBeTruthy();
  });

  it('Enter in the question text saves; an unchanged form just closes', async () => {
    const { fetchImpl } = setup();
    press('e');
    press('Enter', screen.getByLabelText('Question'));
    expect(screen.queryByLabelText('Question')).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('a 409 on accept shows the notice and the newer row', async () => {
    const { container, fetchImpl } = setup();
    const current = { ...C1, text: 'How many barks are there?', version: 3 };
    fetchImpl.mockResolvedValue(jsonResponse({ detail: 'Version mismatch.', current }, 409));
    press('a');
    expect(
      await screen.findByText('This candidate changed since you loaded it; the newer version is shown.'),
    ).toBeTruthy();
    expect(within(row(container, 1)).getByText('How many barks are there?')).toBeTruthy();
    expect(rowIds(container)).toEqual([1, 2]);
    expect(screen.getByRole('alert').textContent).toBe('');

    // The next accept carries the newer version.
    fetchImpl.mockResolvedValue(jsonResponse({ ...current, state: 'accepted', version: 4 }));
    press('a');
    expect(request(fetchImpl).body).toEqual({ version: 3 });
    await waitFor(() => expect(rowIds(container)).toEqual([2]));
  });

  it('a 409 during an edit keeps the typing and applies it to the newer version', async () => {
    const { container, fetchImpl } = setup();
    press('e');
    fireEvent.change(screen.getByLabelText('Question'), { target: { value: 'Mine?' } });
    const current = { ...C1, text: 'Theirs?', modality: 'AV' as const, version: 2 };
    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'stale', current }, 409));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const panel = await screen.findByRole('complementary', { name: 'Newer version on the server' });
    expect((screen.getByLabelText('Question') as HTMLTextAreaElement).value).toBe('Mine?');
    expect(within(panel).getByText('Theirs?')).toBeTruthy();
    expect(within(panel).getByText(/version 2/)).toBeTruthy();
    expect(screen.getByText('This candidate changed since you loaded it; the newer version is shown.')).toBeTruthy();
    expect(within(row(container, 1)).getByText('Theirs?')).toBeTruthy();
    const apply = screen.getByRole('button', { name: 'Apply my changes to the newer version' });
    expect(document.activeElement).toBe(apply);

    fetchImpl.mockResolvedValueOnce(jsonResponse({ ...current, text: 'Mine?', version: 3 }));
    fireEvent.click(apply);
    // Only the user's own change, on top of the newer version.
    expect(request(fetchImpl)).toEqual({
      url: '/api/v1/candidates/1/',
      method: 'PATCH',
      body: { version: 2, text: 'Mine?' },
    });
    await waitFor(() => expect(screen.queryByLabelText('Question')).toBeNull());
    expect(within(row(container, 1)).getByText('Mine?')).toBeTruthy();
    expect(within(row(container, 1)).getByTitle('Audio-visual')).toBeTruthy();
  });

  it('a 400 field error is shown next to its field and the form stays open', async () => {
    const { fetchImpl } = setup();
    press('e');
    fireEvent.change(screen.getByLabelText('Start (s)'), { target: { value: '3' } });
    const message = 'the query interval must satisfy 0 <= start < end';
    fetchImpl.mockResolvedValue(jsonResponse({ query_end: [message] }, 400));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const error = await screen.findByText(message);
    const end = screen.getByLabelText('End (s)');
    expect(end.getAttribute('aria-invalid')).toBe('true');
    expect(end.getAttribute('aria-describedby')).toBe(error.id);
    expect(error.closest('.s1-field')).toBe(end.closest('.s1-field'));
    expect((screen.getByLabelText('Start (s)') as HTMLInputElement).value).toBe('3');

    // Typing in the field clears its error.
    fireEvent.change(end, { target: { value: '6' } });
    expect(screen.queryByText(message)).toBeNull();
  });

  it('checks the form before sending', () => {
    const { fetchImpl } = setup();
    press('e');
    fireEvent.change(screen.getByLabelText('Start (s)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('The end must come after the start.')).toBeTruthy();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('adds a question by hand: it is POSTed and appears as accepted', async () => {
    const { container, fetchImpl } = setup();
    press('n');
    const form = screen.getByRole('form', { name: /Add a question/ });
    const text = within(form).getByLabelText('Question');
    expect(document.activeElement).toBe(text);
    expect((within(form).getByLabelText('Start (s)') as HTMLInputElement).value).toBe('0');
    expect((within(form).getByLabelText('End (s)') as HTMLInputElement).value).toBe('60');

    fireEvent.change(text, { target: { value: 'How many whistles?' } });
    fireEvent.change(within(form).getByLabelText('Modality'), { target: { value: 'A' } });
    const created = makeCandidate({
      id: 9,
      text: 'How many whistles?',
      modality: 'A',
      query_start: 0,
      query_end: 60,
      state: 'accepted',
      source: 'human',
      model: '',
      prompt_version: '',
      question: 50,
    });
    fetchImpl.mockResolvedValue(jsonResponse(created, 201));
    press('Enter', text);
    expect(request(fetchImpl)).toEqual({
      url: '/api/v1/candidates/',
      method: 'POST',
      body: { video: 5, text: 'How many whistles?', category: 'event', modality: 'A', query_start: 0, query_end: 60 },
    });
    await waitFor(() => expect(screen.queryByRole('form', { name: /Add a question/ })).toBeNull());
    expect(screen.getByRole('status').textContent).toContain('Added “How many whistles?” as accepted');
    fireEvent.click(filterButton(/^Accepted \(2\)$/));
    const r9 = row(container, 9);
    expect(within(r9).getByText('Accepted')).toBeTruthy();
    expect(within(r9).getByText('Human')).toBeTruthy();
  });

  it('clicking an interval plays it and pauses at its end', () => {
    const { container } = setup();
    const video = container.querySelector('video')!;
    fireEvent.click(within(row(container, 2)).getByRole('button', { name: /^Play interval/ }));
    expect(currentId(container)).toBe(2);
    expect(video.currentTime).toBe(10);
    expect(play).toHaveBeenCalledOnce();
    video.currentTime = 20.2;
    act(() => {
      fireEvent.timeUpdate(video);
    });
    expect(pause).toHaveBeenCalledOnce();
    expect(video.currentTime).toBe(20);

    // p and Space play the selected row.
    press('k');
    press('p');
    expect(video.currentTime).toBe(2);
    expect(play).toHaveBeenCalledTimes(2);
    press(' ');
    expect(play).toHaveBeenCalledTimes(3);
  });

  it('sets the interval from the player while editing', () => {
    const { container } = setup();
    const video = container.querySelector('video')!;
    press('e');
    video.currentTime = 3.14159;
    fireEvent.click(screen.getByRole('button', { name: "Set the end to the player's current time" }));
    expect((screen.getByLabelText('End (s)') as HTMLInputElement).value).toBe('3.1');
  });

  it('shows an error in the alert when a request fails', async () => {
    const { container, fetchImpl } = setup();
    fetchImpl.mockRejectedValue(new TypeError('Failed to fetch'));
    press('a');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/network error/));
    expect(rowIds(container)).toEqual([1, 2]);
    expect(row(container, 1).getAttribute('aria-busy')).toBeNull();
  });

  it('without a proxy says the video is not processed yet', () => {
    setup({ video: { id: 5, title: 'Park walk', duration: 60, fps: 25, proxy_url: null } });
    expect(screen.getByText('The video is not processed yet')).toBeTruthy();
  });

  it('keeps an edit with typing open: another form waits, a filter change detaches it', () => {
    const { container } = setup();
    press('e');
    fireEvent.change(screen.getByLabelText('Question'), { target: { value: 'Typed?' } });
    fireEvent.click(within(row(container, 2)).getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('status').textContent).toContain('Finish or cancel (Esc) the open form first.');
    expect(screen.getByRole('form', { name: 'Edit candidate #1' })).toBeTruthy();

    fireEvent.click(filterButton(/^Accepted/));
    expect(rowIds(container)).toEqual([3]);
    const form = screen.getByRole('form', { name: 'Edit candidate #1' });
    expect(form.closest('.s1-detached')).not.toBeNull();
    expect((within(form).getByLabelText('Question') as HTMLTextAreaElement).value).toBe('Typed?');
  });

  it('a reviewer without annotate rights gets no actions', () => {
    const { container, fetchImpl } = setup({ can_annotate: false });
    expect(within(row(container, 1)).queryByRole('button', { name: 'Accept' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add a question' })).toBeNull();
    press('a');
    press('e');
    press('n');
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(screen.queryByLabelText('Question')).toBeNull();
    press('j');
    expect(currentId(container)).toBe(2);
  });
});
