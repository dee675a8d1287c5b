import { describe, expect, it, vi } from 'vitest';
import {
  acceptCandidate,
  candidateUrl,
  createCandidate,
  fieldErrorsFromPayload,
  rejectCandidate,
  summarizeErrors,
  updateCandidate,
  type ApiContext,
} from './api';
import { jsonResponse, makeCandidate, makeData } from './fixtures';

function context(fetchImpl: typeof fetch): ApiContext {
  const { urls } = makeData([]);
  return { urls, csrfToken: 'tok123', fetchImpl };
}

function lastCall(fetchImpl: ReturnType<typeof vi.fn<typeof fetch>>) {
  const [url, init] = fetchImpl.mock.calls.at(-1)!;
  return { url, init: init!, body: JSON.parse(String(init?.body)) as unknown, headers: new Headers(init?.headers) };
}

describe('request shape', () => {
  it('fills URL templates', () => {
    expect(candidateUrl('/api/v1/candidates/{id}/accept/', 12)).toBe('/api/v1/candidates/12/accept/');
  });

  it('accept POSTs the version with CSRF and JSON headers', async () => {
    const updated = makeCandidate({ id: 3, state: 'accepted', version: 3, question: 8 });
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(updated));
    const result = await acceptCandidate(context(fetchImpl), { id: 3, version: 2 });
    expect(result).toEqual({ ok: true, candidate: updated });
    const { url, init, body, headers } = lastCall(fetchImpl);
    expect(url).toBe('/api/v1/candidates/3/accept/');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(headers.get('X-CSRFToken')).toBe('tok123');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Accept')).toBe('application/json');
    expect(body).toEqual({ version: 2 });
  });

  it('reject POSTs the version and the reason', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(makeCandidate({ state: 'rejected' })));
    await rejectCandidate(context(fetchImpl), { id: 4, version: 1 }, 'duplicate');
    expect(lastCall(fetchImpl)).toMatchObject({ url: '/api/v1/candidates/4/reject/', body: { version: 1, reason: 'duplicate' } });
  });

  it('update PATCHes the version and the changed fields only', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(makeCandidate({ version: 2 })));
    await updateCandidate(context(fetchImpl), 4, 1, { text: 'New?' });
    const call = lastCall(fetchImpl);
    expect(call.url).toBe('/api/v1/candidates/4/');
    expect(call.init.method).toBe('PATCH');
    expect(call.body).toEqual({ version: 1, text: 'New?' });
  });

  it('create POSTs the video and the fields to the list URL', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(makeCandidate({ id: 9 }), 201));
    const fields = { text: 'Q?', category: 'object' as const, modality: 'V' as const, query_start: 0, query_end: 60 };
    const result = await createCandidate(context(fetchImpl), 5, fields);
    expect(result.ok).toBe(true);
    expect(lastCall(fetchImpl)).toMatchObject({ url: '/api/v1/candidates/', body: { video: 5, ...fields } });
  });
});

describe('answers', () => {
  const run = (response: Response | Error) => {
    const fetchImpl = vi.fn<typeof fetch>();
    if (response instanceof Error) fetchImpl.mockRejectedValue(response);
    else fetchImpl.mockResolvedValue(response);
    return acceptCandidate(context(fetchImpl), { id: 1, version: 1 });
  };

  it('409 with the current candidate is a conflict', async () => {
    const current = makeCandidate({ version: 5, text: 'newer' });
    expect(await run(jsonResponse({ detail: 'stale', current }, 409))).toEqual({
      ok: false,
      kind: 'conflict',
      current,
      message: 'stale',
    });
  });

  it('409 without a candidate is a plain error', async () => {
    expect(await run(jsonResponse({ detail: 'Already decided.' }, 409))).toEqual({
      ok: false,
      kind: 'error',
      message: 'Already decided. (HTTP 409)',
    });
  });

  it('400 carries the field errors and a summary', async () => {
    expect(await run(jsonResponse({ query_end: ['too late'], detail: 'Invalid' }, 400))).toEqual({
      ok: false,
      kind: 'invalid',
      message: 'query end: too late Invalid',
      fieldErrors: { query_end: ['too late'], detail: ['Invalid'] },
    });
  });

  it('network errors, non-JSON pages and odd bodies are errors', async () => {
    expect(await run(new TypeError('Failed to fetch'))).toMatchObject({ kind: 'error', message: /network error/ });
    expect(await run(new Response('<h1>Server Error</h1>', { status: 500 }))).toMatchObject({
      kind: 'error',
      message: 'The request failed (HTTP 500).',
    });
    expect(await run(jsonResponse({ detail: 'CSRF Failed' }, 403))).toMatchObject({ message: 'CSRF Failed (HTTP 403)' });
    expect(await run(new Response('', { status: 403 }))).toMatchObject({ message: /not allowed/ });
    expect(await run(jsonResponse({ id: 'x' }))).toMatchObject({ kind: 'error', message: /Unexpected answer/ });
  });
});

describe('error payloads', () => {
  it('normalizes DRF shapes', () => {
    expect(fieldErrorsFromPayload({ text: ['a', 'b'], detail: 'd', current: {} })).toEqual({
      text: ['a', 'b'],
      detail: ['d'],
    });
    expect(fieldErrorsFromPayload(['whole'])).toEqual({ non_field_errors: ['whole'] });
    expect(fieldErrorsFromPayload('plain')).toEqual({ non_field_errors: ['plain'] });
    expect(fieldErrorsFromPayload(null)).toEqual({});
  });

  it('summarizes with field names except for detail and non-field errors', () => {
    expect(summarizeErrors({ non_field_errors: ['Bad.'], query_start: ['Negative.'] })).toBe(
      'Bad. query start: Negative.',
    );
  });
});
