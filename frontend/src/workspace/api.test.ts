import { describe, expect, it, vi } from 'vitest';
import { saveDoc, saveErrorsFrom, submitDoc } from './api';
import { editableOf, eventClue } from './doc';
import { jsonResponse, makeQuestion } from './fixtures';

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

const doc = { ...editableOf(makeQuestion()), clues: [eventClue(11, 12)] };

function fetchReturning(answer: Response | Error): FetchMock {
  const f = vi.fn<typeof fetch>();
  if (answer instanceof Error) f.mockRejectedValue(answer);
  else f.mockResolvedValue(answer);
  return f;
}

function lastCall(f: FetchMock) {
  const [url, init] = f.mock.calls.at(-1)!;
  return { url, init: init!, body: JSON.parse(String(init?.body)) as unknown, headers: new Headers(init?.headers) };
}

describe('saveDoc', () => {
  it('PUTs the version and the whole document with CSRF, same-origin', async () => {
    const saved = makeQuestion({ version: 5, clues: doc.clues });
    const f = fetchReturning(jsonResponse(saved));
    expect(await saveDoc(f, '/api/v1/questions/7/', 'tok', 4, doc)).toEqual({ kind: 'ok', doc: saved });
    const { url, init, body, headers } = lastCall(f);
    expect(url).toBe('/api/v1/questions/7/');
    expect(init.method).toBe('PUT');
    expect(init.credentials).toBe('same-origin');
    expect(headers.get('X-CSRFToken')).toBe('tok');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(body).toEqual({
      version: 4,
      text: doc.text,
      category: 'event',
      modality: 'A',
      drafted_answer: 3,
      ref_start: 10,
      ref_end: 20,
      clusters: [],
      clues: [{ kind: 'event', start: 11, end: 12 }],
    });
  });

  it('maps 409 with the current document to a conflict', async () => {
    const current = makeQuestion({ version: 9, text: 'theirs' });
    const f = fetchReturning(jsonResponse({ detail: 'Stale version.', current }, 409));
    expect(await saveDoc(f, '/s', 't', 4, doc)).toEqual({ kind: 'conflict', current, message: 'Stale version.' });
  });

  it('maps 400 to the keyed errors', async () => {
    const f = fetchReturning(jsonResponse({ detail: 'Invalid.', errors: { 'clues[0]': 'Outside the video.' } }, 400));
    expect(await saveDoc(f, '/s', 't', 4, doc)).toEqual({
      kind: 'invalid',
      detail: 'Invalid.',
      errors: { 'clues[0]': 'Outside the video.' },
    });
  });

  it('a network failure is offline', async () => {
    expect(await saveDoc(fetchReturning(new TypeError('Failed to fetch')), '/s', 't', 4, doc)).toEqual({ kind: 'offline' });
  });

  it('other answers are errors, retried only where waiting may help', async () => {
    expect(await saveDoc(fetchReturning(jsonResponse(null, 503)), '/s', 't', 4, doc)).toEqual({
      kind: 'error',
      message: 'The request failed (HTTP 503).',
      retry: true,
    });
    expect(await saveDoc(fetchReturning(jsonResponse({ detail: 'CSRF Failed' }, 403)), '/s', 't', 4, doc)).toEqual({
      kind: 'error',
      message: 'CSRF Failed (HTTP 403)',
      retry: false,
    });
    expect(await saveDoc(fetchReturning(jsonResponse({ detail: 'stale' }, 409)), '/s', 't', 4, doc)).toMatchObject({
      kind: 'error',
      retry: false,
    });
    expect(await saveDoc(fetchReturning(jsonResponse({ id: 'x' })), '/s', 't', 4, doc)).toMatchObject({
      kind: 'error',
      message: /Unexpected answer/,
    });
  });
});

describe('saveErrorsFrom', () => {
  it('reads the contract and plain DRF bodies', () => {
    expect(saveErrorsFrom({ detail: 'Bad', errors: { text: 'Empty.' } })).toEqual({ detail: 'Bad', errors: { text: 'Empty.' } });
    expect(saveErrorsFrom({ ref_end: ['Too late.', 'Really.'], current: {} })).toEqual({
      detail: 'The server did not accept the changes.',
      errors: { ref_end: 'Too late. Really.' },
    });
    expect(saveErrorsFrom(['Whole.'])).toEqual({ detail: 'Whole.', errors: {} });
  });
});

describe('submitDoc', () => {
  it('POSTs the version and returns the outcome', async () => {
    const result = { question: makeQuestion({ state: 'pooled', version: 6 }), outcome: 'pooled', message: 'Pooled.' };
    const f = fetchReturning(jsonResponse(result));
    expect(await submitDoc(f, '/api/v1/questions/7/submit/', 'tok', 5)).toEqual({ kind: 'ok', result });
    const { url, init, body, headers } = lastCall(f);
    expect(url).toBe('/api/v1/questions/7/submit/');
    expect(init.method).toBe('POST');
    expect(headers.get('X-CSRFToken')).toBe('tok');
    expect(body).toEqual({ version: 5 });
  });

  it('maps 409, 400 and failures', async () => {
    const current = makeQuestion({ version: 8 });
    expect(await submitDoc(fetchReturning(jsonResponse({ detail: 'stale', current }, 409)), '/u', 't', 5)).toEqual({
      kind: 'conflict',
      current,
      message: 'stale',
    });
    expect(await submitDoc(fetchReturning(jsonResponse({ detail: 'Draft the count first.' }, 400)), '/u', 't', 5)).toEqual({
      kind: 'error',
      message: 'Draft the count first.',
      errors: {},
    });
    expect(await submitDoc(fetchReturning(new TypeError('x')), '/u', 't', 5)).toEqual({ kind: 'offline' });
    expect(await submitDoc(fetchReturning(jsonResponse({ question: {}, outcome: 'pooled' })), '/u', 't', 5)).toMatchObject({
      kind: 'error',
    });
  });
});
