import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from './fixtures';
import { conflictOf, detailOf, getJson, isRetryableStatus, messageOf, saveErrorsFrom, send, type Answer } from './http';

const notJson = (status: number): Response =>
  ({ ok: status >= 200 && status < 300, status, json: () => Promise.reject(new SyntaxError('no JSON')) }) as Response;

describe('send', () => {
  it('sends JSON with the CSRF token, same-origin, and reads the JSON answer', async () => {
    const f = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse({ id: 1 }, 201));
    expect(await send(f, 'POST', '/x/', 'tok', { a: 1 })).toEqual({ status: 201, ok: true, payload: { id: 1 }, parsed: true });
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe('/x/');
    expect(init).toEqual({
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRFToken': 'tok' },
      body: '{"a":1}',
    });
  });

  it('asks for keepalive only when told', async () => {
    const f = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse({}));
    await send(f, 'PUT', '/x/', 'tok', {}, true);
    expect(f.mock.calls[0]![1]).toMatchObject({ method: 'PUT', keepalive: true });
    await send(f, 'PUT', '/x/', 'tok', {});
    expect(f.mock.calls[1]![1]).not.toHaveProperty('keepalive');
  });

  it('is null without an answer; an answer that is not JSON is not parsed', async () => {
    expect(await send(vi.fn<typeof fetch>().mockRejectedValue(new TypeError('offline')), 'PUT', '/x/', 't', {})).toBeNull();
    const f = vi.fn<typeof fetch>().mockResolvedValue(notJson(502));
    expect(await send(f, 'PUT', '/x/', 't', {})).toEqual({ status: 502, ok: false, payload: null, parsed: false });
  });
});

describe('getJson', () => {
  it('GETs same-origin JSON without a body', async () => {
    const f = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse({ id: 2 }));
    expect(await getJson(f, '/doc/')).toEqual({ status: 200, ok: true, payload: { id: 2 }, parsed: true });
    expect(f).toHaveBeenCalledWith('/doc/', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  });

  it('is null without an answer', async () => {
    expect(await getJson(vi.fn<typeof fetch>().mockRejectedValue(new TypeError('offline')), '/doc/')).toBeNull();
  });
});

describe('reading answers', () => {
  it('messageOf joins lists of messages', () => {
    expect(messageOf('a')).toBe('a');
    expect(messageOf(['a', ['b'], 3])).toBe('a b');
    expect(messageOf([])).toBeNull();
    expect(messageOf({ detail: 'x' })).toBeNull();
  });

  it('detailOf reads the detail of an object body', () => {
    expect(detailOf({ detail: ['Nope.'] })).toBe('Nope.');
    expect(detailOf({})).toBeNull();
    expect(detailOf('Nope.')).toBeNull();
    expect(detailOf(null)).toBeNull();
  });

  it('saveErrorsFrom reads the contract and plain DRF bodies', () => {
    expect(saveErrorsFrom({ detail: 'Invalid.', errors: { text: 'Required.' } })).toEqual({
      detail: 'Invalid.',
      errors: { text: 'Required.' },
    });
    expect(saveErrorsFrom({ text: ['Required.', 'Too short.'], current: { id: 1 } })).toEqual({
      detail: 'The server did not accept the changes.',
      errors: { text: 'Required. Too short.' },
    });
    expect(saveErrorsFrom(['Whole body.'])).toEqual({ detail: 'Whole body.', errors: {} });
    expect(saveErrorsFrom(null)).toEqual({ detail: 'The server did not accept the changes.', errors: {} });
  });

  it('conflictOf takes the current document of a 409 that carries a valid one', () => {
    const isDoc = (value: unknown): value is { id: number } =>
      value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'number';
    const answer = (status: number, payload: unknown, parsed = true): Answer => ({ status, ok: false, payload, parsed });
    expect(conflictOf(answer(409, { current: { id: 3 } }), isDoc)).toEqual({ id: 3 });
    expect(conflictOf(answer(409, { current: { id: 'x' } }), isDoc)).toBeNull();
    expect(conflictOf(answer(409, { detail: 'Stale.' }), isDoc)).toBeNull();
    expect(conflictOf(answer(409, null, false), isDoc)).toBeNull();
    expect(conflictOf(answer(400, { current: { id: 3 } }), isDoc)).toBeNull();
  });

  it('isRetryableStatus: server errors, 429 and 408', () => {
    expect([500, 502, 503, 429, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409].some(isRetryableStatus)).toBe(false);
  });
});
