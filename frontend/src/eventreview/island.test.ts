import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeData } from './fixtures';
import { readEventReviewData } from './island';

function script(text: string | null): Element | null {
  if (text === null) return null;
  const el = document.createElement('script');
  el.type = 'application/json';
  el.textContent = text;
  return el;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('readEventReviewData', () => {
  it('reads the payload', () => {
    const data = makeData();
    expect(readEventReviewData(script(JSON.stringify(data)))).toEqual(data);
  });

  it('takes the CSRF token from the cookie when the page passes none, and allows no doc', () => {
    document.cookie = 'csrftoken=fromcookie';
    const { csrf_token: _unused, ...rest } = makeData(null);
    expect(readEventReviewData(script(JSON.stringify(rest)), document)).toEqual({
      doc_url: '/api/v1/event-docs/12/',
      csrf_token: 'fromcookie',
      doc: null,
      labels: [],
    });
  });

  it("reads the project's object names, dropping what is not a name", () => {
    const data = { ...makeData(), labels: { objects: ['dog', '', 3, 'car'], clusters: ['red'] } };
    expect(readEventReviewData(script(JSON.stringify(data)))?.labels).toEqual(['dog', 'car']);
    expect(readEventReviewData(script(JSON.stringify({ ...makeData(), labels: 'dog' })))?.labels).toEqual([]);
  });

  it('refuses a missing, broken or incomplete payload', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const data = makeData();
    expect(readEventReviewData(null)).toBeNull();
    expect(readEventReviewData(script('{'))).toBeNull();
    expect(readEventReviewData(script('[]'))).toBeNull();
    expect(readEventReviewData(script(JSON.stringify({ ...data, doc_url: '' })))).toBeNull();
    expect(readEventReviewData(script(JSON.stringify({ ...data, doc: { id: 1 } })))).toBeNull();
    expect(error).toHaveBeenCalledTimes(5);
  });
});
