import { islandFailure, readPayload } from '../shared/island';
import { vocabularyList } from '../shared/labels';
import { csrfToken, isEventDoc } from './api';
import type { AssistUrls, EventReviewData } from './types';

const fail = islandFailure('eventreview');

/**
 * Reads the page's `json_script` payload: `{doc_url, csrf_token?, doc?}`.
 * Returns null (and logs why) when the script is missing, is not JSON, has no
 * `doc_url`, or has a `doc` that is not an event document. Without a
 * csrf_token the `csrftoken` cookie is used.
 */
export function readEventReviewData(script: Element | null, doc: Document | null = null): EventReviewData | null {
  const data = readPayload(script, 'eventreview-data', fail);
  if (data === null) return null;
  if (typeof data.doc_url !== 'string' || data.doc_url === '') return fail('#eventreview-data has no doc_url');
  if (data.doc !== undefined && data.doc !== null && !isEventDoc(data.doc)) {
    return fail('#eventreview-data has a doc that is not an event document');
  }
  return {
    doc_url: data.doc_url,
    csrf_token: csrfToken(data.csrf_token, doc ?? script?.ownerDocument ?? null),
    doc: isEventDoc(data.doc) ? data.doc : null,
    labels: vocabularyList(data.labels, 'objects'),
    ...(assistUrlsOf(data.assist_urls) !== null ? { assist_urls: assistUrlsOf(data.assist_urls)! } : {}),
    ...(typeof data.assist_missing === 'string' && data.assist_missing !== '' ? { assist_missing: data.assist_missing } : {}),
  };
}

/** Click-to-box and tracking URLs, when the page offers all three. */
function assistUrlsOf(value: unknown): AssistUrls | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const ok = (x: unknown): x is string => typeof x === 'string' && x !== '';
  return ok(v.click_box) && ok(v.track) && ok(v.job) ? { click_box: v.click_box, track: v.track, job: v.job } : null;
}
