import { editableOf, type EditableDoc } from './doc';
import type { QuestionDoc, SaveErrors, SubmitResult } from './types';

export type SaveResult =
  | { kind: 'ok'; doc: QuestionDoc }
  /** 409: someone saved a newer version; `current` is it. */
  | { kind: 'conflict'; current: QuestionDoc; message: string }
  /** 400: the server's messages, keyed like "text" or "clues[3]". */
  | { kind: 'invalid'; errors: SaveErrors }
  /** The request never got an answer (no network, server unreachable). */
  | { kind: 'offline' }
  /** Any other answer; `retry` when trying again later may help (5xx, 429). */
  | { kind: 'error'; message: string; retry: boolean };

export type SubmitOutcome =
  | { kind: 'ok'; result: SubmitResult }
  | { kind: 'conflict'; current: QuestionDoc; message: string }
  /** 400 (nothing submitted) and any other failure; `errors` when the server keyed its messages. */
  | { kind: 'error'; message: string; errors: Record<string, string> }
  | { kind: 'offline' };

/** A light shape check of a serialized question. */
export function isQuestionDoc(value: unknown): value is QuestionDoc {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'number' &&
    typeof v.version === 'number' &&
    typeof v.text === 'string' &&
    typeof v.category === 'string' &&
    typeof v.modality === 'string' &&
    typeof v.state === 'string' &&
    Array.isArray(v.clues) &&
    Array.isArray(v.clusters)
  );
}

function isSubmitResult(value: unknown): value is SubmitResult {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return isQuestionDoc(v.question) && (v.outcome === 'pooled' || v.outcome === 'arbitration' || v.outcome === 'agreement');
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
 * The 400 body as SaveErrors. The contract is `{detail, errors}`; a plain DRF
 * body (field -> list of messages) is read too, so no message is lost.
 */
export function saveErrorsFrom(payload: unknown): SaveErrors {
  const detail = detailOf(payload) ?? 'The server did not accept the changes.';
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const whole = messageOf(payload);
    return { detail: whole ?? detail, errors: {} };
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

export interface Answer {
  status: number;
  ok: boolean;
  payload: unknown;
  parsed: boolean;
}

export async function send(
  fetchImpl: typeof fetch,
  method: 'PUT' | 'POST',
  url: string,
  csrfToken: string,
  body: unknown,
  keepalive = false,
): Promise<Answer | null> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      ...(keepalive ? { keepalive: true } : {}),
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-CSRFToken': csrfToken,
      },
      body: JSON.stringify(body),
    });
  } catch {
    return null;
  }
  let payload: unknown = null;
  let parsed = true;
  try {
    payload = await response.json();
  } catch {
    parsed = false;
  }
  return { status: response.status, ok: response.ok, payload, parsed };
}

export function failure(answer: Answer): string {
  const detail = answer.parsed ? detailOf(answer.payload) : null;
  if (detail !== null) return `${detail} (HTTP ${answer.status})`;
  if (answer.status === 403) {
    return 'You are not allowed to do this (HTTP 403); your session may have expired: reload the page.';
  }
  return `The request failed (HTTP ${answer.status}).`;
}

const conflictOf = (answer: Answer): QuestionDoc | null => {
  if (answer.status !== 409 || !answer.parsed || answer.payload === null || typeof answer.payload !== 'object') {
    return null;
  }
  const current = (answer.payload as { current?: unknown }).current;
  return isQuestionDoc(current) ? current : null;
};

/** The body of a save: the version it was made on and the whole editable document. */
export function saveBody(version: number, doc: EditableDoc): Record<string, unknown> {
  return { version, ...editableOf(doc) };
}

export interface SaveOptions {
  /** Let the request outlive the page (a save fired from `pagehide`). */
  keepalive?: boolean;
}

/** PUT the whole document with the version it was made on. */
export async function saveDoc(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
  version: number,
  doc: EditableDoc,
  options: SaveOptions = {},
): Promise<SaveResult> {
  const answer = await send(fetchImpl, 'PUT', url, csrfToken, saveBody(version, doc), options.keepalive === true);
  if (answer === null) return { kind: 'offline' };
  if (answer.ok) {
    return isQuestionDoc(answer.payload)
      ? { kind: 'ok', doc: answer.payload }
      : { kind: 'error', message: `Unexpected answer from the server (HTTP ${answer.status}).`, retry: false };
  }
  const current = conflictOf(answer);
  if (current !== null) {
    return { kind: 'conflict', current, message: detailOf(answer.payload) ?? 'The question changed on the server.' };
  }
  if (answer.status === 400 && answer.parsed) {
    return { kind: 'invalid', errors: saveErrorsFrom(answer.payload) };
  }
  const retry = answer.status >= 500 || answer.status === 429 || answer.status === 408;
  return { kind: 'error', message: failure(answer), retry };
}

/** POST the submit with the version the annotator saw. */
export async function submitDoc(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
  version: number,
): Promise<SubmitOutcome> {
  const answer = await send(fetchImpl, 'POST', url, csrfToken, { version });
  if (answer === null) return { kind: 'offline' };
  if (answer.ok) {
    return isSubmitResult(answer.payload)
      ? { kind: 'ok', result: answer.payload }
      : { kind: 'error', message: `Unexpected answer from the server (HTTP ${answer.status}).`, errors: {} };
  }
  const current = conflictOf(answer);
  if (current !== null) {
    return { kind: 'conflict', current, message: detailOf(answer.payload) ?? 'The question changed on the server.' };
  }
  if (answer.status === 400 && answer.parsed) {
    const { detail, errors } = saveErrorsFrom(answer.payload);
    return { kind: 'error', message: detail, errors };
  }
  return { kind: 'error', message: failure(answer), errors: {} };
}
