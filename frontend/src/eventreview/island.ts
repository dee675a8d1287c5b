import { csrfToken, isEventDoc } from './api';
import type { EventReviewData } from './types';

const fail = (why: string): null => {
  console.error(`eventreview island: ${why}`);
  return null;
};

/**
 * Reads the page's `json_script` payload: `{doc_url, csrf_token?, doc?}`.
 * Returns null (and logs why) when the script is missing, is not JSON, has no
 * `doc_url`, or has a `doc` that is not an event document. Without a
 * csrf_token the `csrftoken` cookie is used.
 */
export function readEventReviewData(script: Element | null, doc: Document | null = null): EventReviewData | null {
  const raw = script?.textContent ?? '';
  if (raw.trim() === '') return fail('#eventreview-data is missing or empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail('#eventreview-data does not contain valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object') return fail('#eventreview-data is not an object');
  const data = parsed as Record<string, unknown>;
  if (typeof data.doc_url !== 'string' || data.doc_url === '') return fail('#eventreview-data has no doc_url');
  if (data.doc !== undefined && data.doc !== null && !isEventDoc(data.doc)) {
    return fail('#eventreview-data has a doc that is not an event document');
  }
  return {
    doc_url: data.doc_url,
    csrf_token: csrfToken(data.csrf_token, doc ?? script?.ownerDocument ?? null),
    doc: isEventDoc(data.doc) ? data.doc : null,
  };
}
