import { describe, expect, it, vi } from 'vitest';
import { loadEventDoc, saveErrorsFrom, saveEventDoc } from './api';
import { jsonResponse, makeDoc } from './fixtures';
import type { PutBody } from './types';

const body: PutBody = { version: 3, accept: false, objects: [] };

function fetchAnswering(response: Response | Error) {
  return vi.fn<typeof fetch>(() => (response instanceof Error ? Promise.reject(response) : Promise.resolve(response)));
}

describe('saveEventDoc', () => {
  it('PUTs the body as JSON with the CSRF header', async () => {
    const doc = makeDoc({ version: 4 });
    const fetchImpl = fetchAnswering(jsonResponse(doc));
    expect(await saveEventDoc(fetchImpl, '/api/v1/event-docs/12/', 'tok', body)).toEqual({ kind: 'ok', doc });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/v1/event-docs/12/');
    expect(init?.method).toBe('PUT');
    expect(init?.credentials).toBe('same-origin');
    expect((init?.headers as Record<string, string>)['X-CSRFToken']).toBe('tok');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual(body);
    expect(init?.keepalive).toBeUndefined();
    await saveEventDoc(fetchImpl, '/x/', 'tok', body, { keepalive: true });
    expect(fetchImpl.mock.calls[1]![1]?.keepalive).toBe(true);
  });

  it('reads a 409, a 400, a 403, a 5xx and no answer', async () => {
    const current = makeDoc({ version: 5 });
    expect(await saveEventDoc(fetchAnswering(jsonResponse({ detail: 'Stale.', current }, 409)), '/x/', 't', body)).toEqual({
      kind: 'conflict',
      current,
      message: 'Stale.',
    });
    expect(
      await saveEventDoc(
        fetchAnswering(jsonResponse({ detail: 'Invalid.', errors: { 'objects[0].name': 'Taken.' } }, 400)),
        '/x/',
        't',
        body,
      ),
    ).toEqual({ kind: 'invalid', detail: 'Invalid.', errors: { 'objects[0].name': 'Taken.' } });
    expect(await saveEventDoc(fetchAnswering(jsonResponse({ detail: 'Not yours.' }, 403)), '/x/', 't', body)).toEqual({
      kind: 'error',
      message: 'Not yours.',
      retry: false,
      status: 403,
    });
    expect(await saveEventDoc(fetchAnswering(jsonResponse(null, 502)), '/x/', 't', body)).toMatchObject({
      kind: 'error',
      retry: true,
    });
    expect(await saveEventDoc(fetchAnswering(new TypeError('network')), '/x/', 't', body)).toEqual({ kind: 'offline' });
  });
});

describe('loadEventDoc', () => {
  it('GETs the document', async () => {
    const doc = makeDoc();
    const fetchImpl = fetchAnswering(jsonResponse(doc));
    expect(await loadEventDoc(fetchImpl, '/api/v1/event-docs/12/')).toEqual({ kind: 'ok', doc });
    expect(fetchImpl.mock.calls[0]![1]?.method).toBeUndefined();
    expect(await loadEventDoc(fetchAnswering(jsonResponse({ detail: 'Not found.' }, 404)), '/x/')).toEqual({
      kind: 'error',
      message: 'The event could not be loaded: Not found.',
    });
  });
});

describe('saveErrorsFrom', () => {
  it('reads the contract and a plain DRF body', () => {
    expect(saveErrorsFrom({ detail: 'Bad.', errors: { 'objects[0].name': ['Taken.', 'Too long.'] } })).toEqual({
      detail: 'Bad.',
      errors: { 'objects[0].name': 'Taken. Too long.' },
    });
    expect(saveErrorsFrom({ version: ['Required.'] })).toEqual({
      detail: 'The server did not accept the changes.',
      errors: { version: 'Required.' },
    });
    expect(saveErrorsFrom(['Nope.'])).toEqual({ detail: 'Nope.', errors: {} });
  });
});
