/**
 * The JSON requests of the editing islands: same-origin, JSON both ways,
 * Django's CSRF header on writes, and the reading of DRF's answers.
 */

/** The server's answer: its status and its body, when the body was JSON (`parsed`). */
export interface Answer {
  status: number;
  ok: boolean;
  payload: unknown;
  parsed: boolean;
}

async function answerOf(response: Response): Promise<Answer> {
  let payload: unknown = null;
  let parsed = true;
  try {
    payload = await response.json();
  } catch {
    parsed = false;
  }
  return { status: response.status, ok: response.ok, payload, parsed };
}

/** GET `url`; null when no answer came (no network, server unreachable). */
export async function getJson(fetchImpl: typeof fetch, url: string): Promise<Answer | null> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    return null;
  }
  return answerOf(response);
}

export interface SaveOptions {
  /** Let the request outlive the page (a save fired from `pagehide`). */
  keepalive?: boolean;
}

/** PUT, POST or PATCH `body` as JSON with the CSRF token; null when no answer came. */
export async function send(
  fetchImpl: typeof fetch,
  method: 'PUT' | 'POST' | 'PATCH',
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
  return answerOf(response);
}

/** Trying the same request again later may help (server errors, too many requests, timeout). */
export const isRetryableStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408;

/** A message, or a list of them joined, as DRF writes them; null for anything else. */
export const messageOf = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value.map(messageOf).filter((m): m is string => m !== null);
    return parts.length > 0 ? parts.join(' ') : null;
  }
  return null;
};

/** The body's `detail`, in words. */
export const detailOf = (payload: unknown): string | null =>
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

/** 409 with the server's newer document as `current` (checked by `isDoc`): that document; else null. */
export function conflictOf<T>(answer: Answer, isDoc: (value: unknown) => value is T): T | null {
  if (answer.status !== 409 || !answer.parsed || answer.payload === null || typeof answer.payload !== 'object') {
    return null;
  }
  const current = (answer.payload as { current?: unknown }).current;
  return isDoc(current) ? current : null;
}
