import type { EventDoc, PutBody } from './types';

export type SaveResult =
  | { kind: 'ok'; doc: EventDoc }
  /** 409: someone saved a newer version; `current` is it. */
  | { kind: 'conflict'; current: EventDoc; message: string }
  /** 400: the server's messages, keyed like "objects[0].name" or "objects[1].boxes[2]". */
  | { kind: 'invalid'; detail: string; errors: Record<string, string> }
  /** The request never got an answer (no network, server unreachable). */
  | { kind: 'offline' }
  /** Any other answer (403 included); `retry` when trying again later may help (5xx, 429). */
  | { kind: 'error'; message: string; retry: boolean; status: number };

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

const messageOf = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value.map(messageOf).filter((m): m is string => m !== null);
    return parts.length > 0 ? parts.join(' ') : null;
  }
  return null;
};

const detailOf = (payload: unknown): string | null =>
  payload !== null && typeof payload === 'object' ? messageOf((payload as { detail?: unknown }).detail) : null;

/**
 * The 400 body as a detail and keyed messages. The contract is `{detail, errors}`;
 * a plain DRF body (field -> list of messages) is read too, so no message is lost.
 */
export function saveErrorsFrom(payload: unknown): { detail: string; errors: Record<string, string> } {
  const detail = detailOf(payload) ?? 'The server did not accept the changes.';
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { detail: messageOf(payload) ?? detail, errors: {} };
  }
  const body = payload as Record<string, unknown>;
  const source =
    body.errors !== null && typeof body.errors === 'object' && !Array.isArray(body.errors)
      ? (body.errors as Record<string, unknown>)
      : Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'detail' && key !== 'current'));
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const message = messageOf(value);
    if (message !== null) errors[key] = message;
  }
  return { detail, errors };
}

async function readJson(response: Response): Promise<{ payload: unknown; parsed: boolean }> {
  try {
    return { payload: await response.json(), parsed: true };
  } catch {
    return { payload: null, parsed: false };
  }
}

function failure(status: number, payload: unknown): string {
  const detail = detailOf(payload);
  if (detail !== null) return detail;
  if (status === 403) return 'You are not allowed to change this event; your session may have expired: reload the page.';
  return `The request failed (HTTP ${status}).`;
}

/** GET the document. */
export async function loadEventDoc(fetchImpl: typeof fetch, url: string): Promise<LoadResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    return { kind: 'error', message: 'The event could not be loaded: no answer from the server.' };
  }
  const { payload } = await readJson(response);
  if (response.ok && isEventDoc(payload)) return { kind: 'ok', doc: payload };
  return { kind: 'error', message: `The event could not be loaded: ${failure(response.status, payload)}` };
}

export interface SaveOptions {
  /** Let the request outlive the page (a save fired from `pagehide`). */
  keepalive?: boolean;
}

/** PUT the body (its version and, with `accept`, the accept). */
export async function saveEventDoc(
  fetchImpl: typeof fetch,
  url: string,
  csrf: string,
  body: PutBody,
  options: SaveOptions = {},
): Promise<SaveResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'PUT',
      ...(options.keepalive === true ? { keepalive: true } : {}),
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-CSRFToken': csrf,
      },
      body: JSON.stringify(body),
    });
  } catch {
    return { kind: 'offline' };
  }
  const { payload, parsed } = await readJson(response);
  if (response.ok) {
    return isEventDoc(payload)
      ? { kind: 'ok', doc: payload }
      : { kind: 'error', message: `Unexpected answer from the server (HTTP ${response.status}).`, retry: false, status: response.status };
  }
  if (response.status === 409 && parsed && payload !== null && typeof payload === 'object') {
    const current = (payload as { current?: unknown }).current;
    if (isEventDoc(current)) {
      return { kind: 'conflict', current, message: detailOf(payload) ?? 'The event changed on the server.' };
    }
  }
  if (response.status === 400 && parsed) {
    const { detail, errors } = saveErrorsFrom(payload);
    return { kind: 'invalid', detail, errors };
  }
  const status = response.status;
  const retry = status >= 500 || status === 429 || status === 408;
  return { kind: 'error', message: failure(status, parsed ? payload : null), retry, status };
}
