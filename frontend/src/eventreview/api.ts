import { conflictOf, detailOf, getJson, isRetryableStatus, saveErrorsFrom, send, type Answer, type SaveOptions } from '../shared/http';
import type { SaveResult as DocSaveResult } from '../shared/docSync';
import type { EventDoc, PutBody } from './types';

export { saveErrorsFrom, type SaveOptions };

/** The answer to a PUT: the new version, a 409 with the newer one, a 400 keyed like "objects[1].boxes[2]", ... */
export type SaveResult = DocSaveResult<EventDoc>;

export type LoadResult = { kind: 'ok'; doc: EventDoc } | { kind: 'error'; message: string };

/** A light shape check of a serialized event document. */
export function isEventDoc(value: unknown): value is EventDoc {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const video = v.video as Record<string, unknown> | null | undefined;
  const event = v.event as Record<string, unknown> | null | undefined;
  return (
    typeof v.id === 'number' &&
    typeof v.version === 'number' &&
    typeof v.state === 'string' &&
    typeof v.editable === 'boolean' &&
    video !== null &&
    typeof video === 'object' &&
    typeof video.width === 'number' &&
    typeof video.height === 'number' &&
    typeof video.frame_url_template === 'string' &&
    event !== null &&
    typeof event === 'object' &&
    Array.isArray(v.seconds) &&
    Array.isArray(v.objects) &&
    v.objects.every(
      (o) => o !== null && typeof o === 'object' && Array.isArray((o as { boxes?: unknown }).boxes),
    )
  );
}

/**
 * The CSRF token: the one the page passed (as the workspace's page does),
 * else Django's `csrftoken` cookie, else a form's hidden field.
 */
export function csrfToken(given: unknown, doc: Document | null = typeof document === 'undefined' ? null : document): string {
  if (typeof given === 'string' && given !== '') return given;
  if (doc === null) return '';
  const cookie = doc.cookie
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('csrftoken='));
  if (cookie !== undefined) return decodeURIComponent(cookie.slice('csrftoken='.length));
  const input = doc.querySelector<HTMLInputElement>('input[name=csrfmiddlewaretoken]');
  return input?.value ?? '';
}

/** A failed request, in words. */
function failure(answer: Answer): string {
  const detail = answer.parsed ? detailOf(answer.payload) : null;
  if (detail !== null) return detail;
  if (answer.status === 403) return 'You are not allowed to change this event; your session may have expired: reload the page.';
  return `The request failed (HTTP ${answer.status}).`;
}

/** GET the document. */
export async function loadEventDoc(fetchImpl: typeof fetch, url: string): Promise<LoadResult> {
  const answer = await getJson(fetchImpl, url);
  if (answer === null) return { kind: 'error', message: 'The event could not be loaded: no answer from the server.' };
  if (answer.ok && isEventDoc(answer.payload)) return { kind: 'ok', doc: answer.payload };
  return { kind: 'error', message: `The event could not be loaded: ${failure(answer)}` };
}

/** PUT the body (its version and, with `accept`, the accept). */
export async function saveEventDoc(
  fetchImpl: typeof fetch,
  url: string,
  csrf: string,
  body: PutBody,
  options: SaveOptions = {},
): Promise<SaveResult> {
  const answer = await send(fetchImpl, 'PUT', url, csrf, body, options.keepalive === true);
  if (answer === null) return { kind: 'offline' };
  const status = answer.status;
  if (answer.ok) {
    return isEventDoc(answer.payload)
      ? { kind: 'ok', doc: answer.payload }
      : { kind: 'error', message: `Unexpected answer from the server (HTTP ${status}).`, retry: false, status };
  }
  const current = conflictOf(answer, isEventDoc);
  if (current !== null) {
    return { kind: 'conflict', current, message: detailOf(answer.payload) ?? 'The event changed on the server.' };
  }
  if (status === 400 && answer.parsed) {
    const { detail, errors } = saveErrorsFrom(answer.payload);
    return { kind: 'invalid', detail, errors };
  }
  return { kind: 'error', message: failure(answer), retry: isRetryableStatus(status), status };
}
