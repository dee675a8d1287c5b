import { describe, expect, it, vi } from 'vitest';
import { runJob } from './jobs';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function server(answers: Response[]) {
  const fetchImpl = vi.fn<typeof fetch>();
  for (const answer of answers) fetchImpl.mockResolvedValueOnce(answer);
  return fetchImpl;
}

const noWait = { sleep: () => Promise.resolve() };

describe('runJob', () => {
  it('posts the request, reads the job until it has ended, and answers its result', async () => {
    const fetchImpl = server([
      json(202, { id: 4, state: 'queued', error: '', result: {} }),
      json(200, { id: 4, state: 'running', error: '', result: {} }),
      json(200, { id: 4, state: 'succeeded', error: '', result: { box: [1, 2, 3, 4] } }),
    ]);
    const outcome = await runJob(fetchImpl, '/click/', 'tok', { x: 1 }, '/api/v1/jobs/{id}/', noWait);
    expect(outcome).toEqual({ kind: 'ok', job: 4, result: { box: [1, 2, 3, 4] } });
    expect(fetchImpl.mock.calls.map(([url]) => String(url))).toEqual(['/click/', '/api/v1/jobs/4/', '/api/v1/jobs/4/']);
    const init = fetchImpl.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-CSRFToken']).toBe('tok');
  });

  it("a refused request says why, with the field's message", async () => {
    const refused = await runJob(server([json(400, { detail: 'Invalid input.', errors: { x: 'the point lies outside' } })]),
      '/click/', 't', {}, '/j/{id}/', noWait);
    expect(refused).toEqual({ kind: 'error', message: 'Invalid input. — x: the point lies outside' });
    const conflict = await runJob(server([json(409, { detail: 'click-to-box is not set up' })]), '/c/', 't', {}, '/j/{id}/', noWait);
    expect(conflict).toEqual({ kind: 'error', message: 'click-to-box is not set up' });
  });

  it("a failed job answers its error; waiting stops at the timeout", async () => {
    const failed = await runJob(server([json(202, { id: 1, state: 'queued' }), json(200, { id: 1, state: 'failed', error: 'weights missing' })]),
      '/c/', 't', {}, '/j/{id}/', noWait);
    expect(failed).toEqual({ kind: 'error', message: 'weights missing' });
    let clock = 0;
    const fetchImpl = vi.fn<typeof fetch>(() => Promise.resolve(json(200, { id: 1, state: 'queued' })));
    const late = await runJob(fetchImpl, '/c/', 't', {}, '/j/{id}/', {
      timeoutMs: 1000, now: () => clock, sleep: () => { clock += 400; return Promise.resolve(); },
    });
    expect(late.kind).toBe('error');
    expect(late.kind === 'error' && late.message).toMatch(/gpu worker/);
  });

  it('no network is said in words', async () => {
    const fetchImpl = vi.fn<typeof fetch>(() => Promise.reject(new TypeError('offline')));
    expect(await runJob(fetchImpl, '/c/', 't', {}, '/j/{id}/', noWait)).toEqual({
      kind: 'error', message: 'The server could not be reached; try again.',
    });
  });
});
