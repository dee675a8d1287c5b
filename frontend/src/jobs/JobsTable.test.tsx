import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobsTable } from './JobsTable';
import type { Job, Paginated } from './types';

const API_URL = '/api/jobs/?limit=50';
const NOW = Date.parse('2024-05-01T10:05:00Z');

function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 1,
    kind: 'media.synthesize_video',
    kind_label: 'Generate synthetic video',
    state: 'running',
    target_label: 'Beeps and squares 1',
    project: 7,
    project_name: 'Alps 2024',
    progress_done: 3,
    progress_total: 10,
    error: '',
    attempts: 1,
    created_at: '2024-05-01T10:00:00Z',
    started_at: '2024-05-01T10:00:00Z',
    finished_at: null,
    updated_at: '2024-05-01T10:04:00Z',
    ...overrides,
  };
}

function page(results: Job[]): Paginated<Job> {
  return { count: results.length, next: null, previous: null, results };
}

function jsonResponse(body: unknown, status = 200): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    json: () => Promise.resolve(body),
  } as Response;
}

/** Advance fake time and let the resulting fetch promises and React updates settle. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function rows(container: HTMLElement): HTMLTableRowElement[] {
  return Array.from(container.querySelectorAll<HTMLTableRowElement>('tr[data-job-id]'));
}

function row(container: HTMLElement, id: number): HTMLTableRowElement {
  const el = container.querySelector<HTMLTableRowElement>(`tr[data-job-id="${id}"]`);
  if (el === null) {
    throw new Error(`no row for job ${id}`);
  }
  return el;
}

function cell(container: HTMLElement, id: number, cls: string): HTMLElement {
  const el = row(container, id).querySelector<HTMLElement>(`td.${cls}`);
  if (el === null) {
    throw new Error(`no ${cls} cell for job ${id}`);
  }
  return el;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('JobsTable', () => {
  it('renders the initial jobs', () => {
    const fetchImpl = vi.fn<typeof fetch>();
    const jobs = [
      makeJob({ id: 1 }),
      makeJob({
        id: 2,
        kind_label: 'Render map',
        target_label: 'Stage 3',
        state: 'queued',
        project: null,
        project_name: null,
        progress_done: 0,
        progress_total: 0,
        attempts: 0,
        started_at: null,
      }),
      makeJob({
        id: 3,
        state: 'succeeded',
        progress_done: 10,
        progress_total: 10,
        finished_at: '2024-05-01T11:02:30Z',
      }),
    ];
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={jobs} fetchImpl={fetchImpl} />,
    );

    const table = container.querySelector('table.jobs');
    expect(table).not.toBeNull();
    expect(screen.getByRole('table', { name: 'Background jobs' })).toBe(table);
    expect(rows(container).map((r) => r.dataset.jobId)).toEqual(['1', '2', '3']);

    // Running job with known total.
    expect(cell(container, 1, 'job-kind').textContent).toBe('Generate synthetic video');
    expect(cell(container, 1, 'job-target').textContent).toBe('Beeps and squares 1');
    expect(cell(container, 1, 'job-project').textContent).toBe('Alps 2024');
    const state1 = cell(container, 1, 'job-state').querySelector('span.state');
    expect(state1?.className).toBe('state state-running');
    expect(state1?.textContent).toBe('Running');
    const progress1 = cell(container, 1, 'job-progress').querySelector('progress');
    expect(progress1?.getAttribute('max')).toBe('100');
    expect(progress1?.getAttribute('value')).toBe('30');
    expect(cell(container, 1, 'job-progress').textContent).toContain('3 / 10');
    expect(cell(container, 1, 'job-attempts').textContent).toBe('1');
    expect(cell(container, 1, 'job-duration').textContent).toBe('5 min 00 s');

    // Queued job, total unknown: indeterminate bar, no project, not started.
    expect(cell(container, 2, 'job-project').textContent).toBe('—');
    expect(cell(container, 2, 'job-state').querySelector('span')?.className).toBe(
      'state state-queued',
    );
    const progress2 = cell(container, 2, 'job-progress').querySelector('progress');
    expect(progress2).not.toBeNull();
    expect(progress2?.hasAttribute('value')).toBe(false);
    expect(cell(container, 2, 'job-duration').textContent).toBe('—');

    // Finished job: duration uses finished_at, not "now".
    expect(cell(container, 3, 'job-progress').querySelector('progress')?.getAttribute('value')).toBe(
      '100',
    );
    expect(cell(container, 3, 'job-duration').textContent).toBe('1 h 02 min');

    // Nothing is fetched synchronously on mount.
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('shows "No jobs yet." for an empty list', () => {
    const fetchImpl = vi.fn<typeof fetch>();
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[]} fetchImpl={fetchImpl} />,
    );
    expect(rows(container)).toHaveLength(0);
    expect(screen.getByText('No jobs yet.')).toBeTruthy();
  });

  it('updates the rows after a poll', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(
        jsonResponse(page([makeJob({ progress_done: 7, updated_at: '2024-05-01T10:05:01Z' })])),
      )
      .mockResolvedValue(jsonResponse(page([makeJob({ progress_done: 7 })])));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} fetchImpl={fetchImpl} />,
    );
    expect(cell(container, 1, 'job-progress').textContent).toContain('3 / 10');

    await advance(1999);
    expect(fetchImpl).not.toHaveBeenCalled();

    await advance(1);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe(API_URL);
    expect(init?.credentials).toBe('same-origin');
    expect(new Headers(init?.headers).get('Accept')).toBe('application/json');
    expect(init?.method ?? 'GET').toBe('GET');

    expect(cell(container, 1, 'job-progress').textContent).toContain('7 / 10');
    expect(cell(container, 1, 'job-progress').querySelector('progress')?.getAttribute('value')).toBe(
      '70',
    );
    // The duration of a running job follows the clock at each refresh.
    expect(cell(container, 1, 'job-duration').textContent).toBe('5 min 02 s');
  });

  it('adds new jobs and drops removed ones as the API reports them', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValue(jsonResponse(page([makeJob({ id: 9, state: 'queued' })])));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob({ id: 1 })]} fetchImpl={fetchImpl} />,
    );
    await advance(2000);
    expect(rows(container).map((r) => r.dataset.jobId)).toEqual(['9']);
  });

  it('polls fast while a job is active and slowly once all are finished', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(jsonResponse(page([makeJob({ progress_done: 5 })])))
      .mockResolvedValueOnce(jsonResponse(page([makeJob({ state: 'retrying', attempts: 2 })])))
      .mockResolvedValueOnce(
        jsonResponse(
          page([
            makeJob({
              state: 'succeeded',
              progress_done: 10,
              attempts: 2,
              finished_at: '2024-05-01T10:05:06Z',
            }),
          ]),
        ),
      )
      .mockResolvedValue(jsonResponse(page([makeJob()])));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} pollMs={500} fetchImpl={fetchImpl} />,
    );

    await advance(500);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    await advance(500);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(cell(container, 1, 'job-state').textContent).toBe('Retrying');
    await advance(500);
    expect(fetchImpl).toHaveBeenCalledTimes(3);
    expect(cell(container, 1, 'job-state').querySelector('span')?.className).toBe(
      'state state-succeeded',
    );

    expect(cell(container, 1, 'job-state').textContent).toBe('Succeeded');
    expect(cell(container, 1, 'job-attempts').textContent).toBe('2');

    // Everything is finished: the next request only after the idle delay.
    await advance(14_000);
    expect(fetchImpl).toHaveBeenCalledTimes(3);
    await advance(1_000);
    expect(fetchImpl).toHaveBeenCalledTimes(4);
  });

  it('polls slowly while nothing is active, and a new job shows without a reload', async () => {
    const done = makeJob({ state: 'succeeded', progress_done: 10, finished_at: NOW_ISO() });
    const fresh = makeJob({ id: 77, state: 'queued', target_label: 'new video' });
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(jsonResponse(page([fresh, done])))
      .mockResolvedValue(jsonResponse(page([done])));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[done]} idlePollMs={15_000} fetchImpl={fetchImpl} />,
    );

    await advance(2000);
    expect(fetchImpl).not.toHaveBeenCalled();
    await advance(13_000);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(rows(container).map((r) => r.dataset.jobId)).toEqual(['77', String(done.id)]);
    // The new job is active: back to the fast interval.
    await advance(2000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it('shows a notice on an HTTP error, keeps the rows and retries', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(jsonResponse({ detail: 'boom' }, 500))
      .mockResolvedValueOnce(jsonResponse(page([makeJob({ progress_done: 8 })])))
      .mockResolvedValue(jsonResponse(page([makeJob({ progress_done: 8 })])));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} fetchImpl={fetchImpl} />,
    );

    await advance(2000);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const notice = screen.getByRole('status');
    expect(notice.textContent).toBe('Could not refresh jobs (HTTP 500); retrying');
    // Last good data is still shown.
    expect(rows(container)).toHaveLength(1);
    expect(cell(container, 1, 'job-progress').textContent).toContain('3 / 10');
    expect(cell(container, 1, 'job-kind').textContent).toBe('Generate synthetic video');

    // The next poll succeeds: data is refreshed and the notice goes away.
    await advance(2000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(cell(container, 1, 'job-progress').textContent).toContain('8 / 10');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows a notice on a network error and keeps the rows', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch'));
    const { container } = render(
      <JobsTable
        apiUrl={API_URL}
        initialJobs={[makeJob({ id: 4 }), makeJob({ id: 5, state: 'queued' })]}
        fetchImpl={fetchImpl}
      />,
    );

    await advance(2000);
    expect(screen.getByRole('status').textContent).toBe(
      'Could not refresh jobs (network error); retrying',
    );
    expect(rows(container).map((r) => r.dataset.jobId)).toEqual(['4', '5']);

    // Failures keep being retried at the normal interval.
    await advance(2000);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(rows(container)).toHaveLength(2);
  });

  it('treats a malformed payload as a failed poll', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse({ unexpected: true }));
    const { container } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} fetchImpl={fetchImpl} />,
    );
    await advance(2000);
    expect(screen.getByRole('status').textContent).toContain('Could not refresh jobs');
    expect(rows(container)).toHaveLength(1);
  });

  it('shows the error text of a failed job', () => {
    const traceback = 'Traceback (most recent call last):\n  ValueError: beep 3 lies outside the video <10 s>';
    const { container } = render(
      <JobsTable
        apiUrl={API_URL}
        initialJobs={[
          makeJob({
            id: 1,
            state: 'failed',
            error: traceback,
            attempts: 3,
            finished_at: '2024-05-01T10:00:03Z',
          }),
          makeJob({ id: 2, state: 'succeeded', error: 'stale', finished_at: NOW_ISO() }),
        ]}
        fetchImpl={vi.fn<typeof fetch>()}
      />,
    );

    const pre = row(container, 1).querySelector('pre.job-error');
    expect(pre).not.toBeNull();
    expect(pre?.textContent).toBe(traceback);
    expect(row(container, 1).querySelector('span.state')?.className).toBe('state state-failed');
    expect(cell(container, 1, 'job-duration').textContent).toBe('3 s');
    // Only failed jobs show an error block.
    expect(row(container, 2).querySelector('pre.job-error')).toBeNull();
  });

  it('stops polling and aborts the request on unmount', async () => {
    let signal: AbortSignal | null | undefined;
    const fetchImpl = vi.fn<typeof fetch>((_url, init) => {
      signal = init?.signal;
      return new Promise<Response>(() => {});
    });
    const { unmount } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} fetchImpl={fetchImpl} />,
    );
    await advance(2000);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(signal?.aborted).toBe(false);

    unmount();
    expect(signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await advance(10_000);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('clears a pending poll timer on unmount', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(page([makeJob()])));
    const { unmount } = render(
      <JobsTable apiUrl={API_URL} initialJobs={[makeJob()]} fetchImpl={fetchImpl} />,
    );
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
    await advance(10_000);
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

function NOW_ISO(): string {
  return new Date(NOW).toISOString();
}

describe('JobsTable actions', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('offers retry and cancel to a manager where they apply, and shows the answer', async () => {
    const failed = makeJob({ id: 5, state: 'failed', error: 'boom', can_retry: true, can_cancel: false, can_manage: true });
    const queued = makeJob({ id: 6, state: 'queued', can_retry: true, can_cancel: true, can_manage: true });
    const foreign = makeJob({ id: 7, state: 'failed', error: 'x', can_retry: true, can_manage: false });
    const fetchImpl = vi.fn<typeof fetch>();
    render(
      <JobsTable apiUrl={API_URL} initialJobs={[failed, queued, foreign]} fetchImpl={fetchImpl} idlePollMs={1e9}
        pollMs={1e9} actionsUrl="/api/v1/jobs/" csrfToken="tok" />,
    );
    const rowOf = (id: number) => document.querySelector(`tr[data-job-id="${id}"]`) as HTMLElement;
    expect(rowOf(5).querySelectorAll('button')).toHaveLength(1);
    expect(rowOf(6).querySelectorAll('button')).toHaveLength(2);
    expect(rowOf(7).querySelectorAll('button')).toHaveLength(0);

    fetchImpl.mockResolvedValueOnce(jsonResponse({ ...failed, state: 'queued', error: '', can_retry: false }, 202));
    await act(async () => {
      screen.getAllByRole('button', { name: 'Retry' })[0]!.click();
    });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/v1/jobs/5/retry/');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['X-CSRFToken']).toBe('tok');
    expect(rowOf(5).textContent).toContain('Queued');

    fetchImpl.mockResolvedValueOnce(jsonResponse({ detail: 'job 6 is running on a live worker' }, 409));
    await act(async () => {
      screen.getAllByRole('button', { name: 'Cancel' })[0]!.click();
    });
    expect(screen.getByRole('status').textContent).toBe('job 6 is running on a live worker');
  });

  it('shows no actions column without an actions URL', () => {
    render(<JobsTable apiUrl={API_URL} initialJobs={[makeJob({ can_manage: true, can_retry: true })]} pollMs={1e9}
      idlePollMs={1e9} fetchImpl={vi.fn<typeof fetch>()} />);
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
  });
});
