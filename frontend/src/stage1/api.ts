import { conflictOf, send as sendJson } from '../shared/http';
import type { Candidate, CandidateFields, FieldErrors, Stage1Urls } from './types';

/** What every request needs besides its own arguments. */
export interface ApiContext {
  urls: Stage1Urls;
  csrfToken: string;
  fetchImpl: typeof fetch;
}

export type ApiResult =
  | { ok: true; candidate: Candidate }
  /** 409: the candidate changed on the server; `current` is its newer version. */
  | { ok: false; kind: 'conflict'; current: Candidate; message: string }
  /** 400: `fieldErrors` holds the DRF field errors (and `detail` / `non_field_errors`). */
  | { ok: false; kind: 'invalid'; message: string; fieldErrors: FieldErrors }
  /** Anything else: network failure, 403, 404, 5xx, a malformed answer. */
  | { ok: false; kind: 'error'; message: string };

/** Fills a `{id}` URL template. */
export function candidateUrl(template: string, id: number): string {
  return template.replace('{id}', encodeURIComponent(String(id)));
}

/** A light shape check of a serialized candidate. */
export function isCandidate(value: unknown): value is Candidate {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'number' &&
    typeof v.text === 'string' &&
    typeof v.state === 'string' &&
    typeof v.version === 'number' &&
    typeof v.category === 'string' &&
    typeof v.modality === 'string'
  );
}

const asMessages = (value: unknown): string[] => {
  if (Array.isArray(value)) {
    return value.map((m) => (typeof m === 'string' ? m : JSON.stringify(m)));
  }
  if (typeof value === 'string') {
    return [value];
  }
  if (value !== null && typeof value === 'object') {
    return [JSON.stringify(value)];
  }
  return [];
};

/** DRF's 400 body as field -> messages; a bare string or list becomes `non_field_errors`. */
export function fieldErrorsFromPayload(payload: unknown): FieldErrors {
  if (typeof payload === 'string' || Array.isArray(payload)) {
    return { non_field_errors: asMessages(payload) };
  }
  if (payload === null || typeof payload !== 'object') {
    return {};
  }
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    if (key === 'current') {
      continue;
    }
    const messages = asMessages(value);
    if (messages.length > 0) {
      errors[key] = messages;
    }
  }
  return errors;
}

const UNPREFIXED = new Set(['detail', 'non_field_errors']);

/** One line for an alert: "detail" and non-field errors as they are, others as "field: message". */
export function summarizeErrors(errors: FieldErrors): string {
  const parts: string[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    for (const m of messages ?? []) {
      parts.push(UNPREFIXED.has(key) ? m : `${key.replace(/_/g, ' ')}: ${m}`);
    }
  }
  return parts.join(' ');
}

const detailOf = (payload: unknown): string | null => {
  if (payload !== null && typeof payload === 'object' && 'detail' in payload) {
    const detail = (payload as { detail: unknown }).detail;
    return typeof detail === 'string' ? detail : null;
  }
  return null;
};

async function send(ctx: ApiContext, method: 'POST' | 'PATCH', url: string, body: unknown): Promise<ApiResult> {
  const answer = await sendJson(ctx.fetchImpl, method, url, ctx.csrfToken, body);
  if (answer === null) {
    return { ok: false, kind: 'error', message: 'The request failed (network error). Nothing was saved; try again.' };
  }
  const { status, payload, parsed } = answer;
  if (answer.ok) {
    if (parsed && isCandidate(payload)) {
      return { ok: true, candidate: payload };
    }
    return { ok: false, kind: 'error', message: `Unexpected answer from the server (HTTP ${status}).` };
  }
  const current = conflictOf(answer, isCandidate);
  if (current !== null) {
    return { ok: false, kind: 'conflict', current, message: detailOf(payload) ?? 'The candidate changed.' };
  }
  if (status === 400 && parsed) {
    const fieldErrors = fieldErrorsFromPayload(payload);
    const message = summarizeErrors(fieldErrors) || 'The server rejected the request (HTTP 400).';
    return { ok: false, kind: 'invalid', message, fieldErrors };
  }
  const detail = parsed ? detailOf(payload) : null;
  const fallback =
    status === 403
      ? 'You are not allowed to do this (HTTP 403); your session may have expired: reload the page.'
      : `The request failed (HTTP ${status}).`;
  return { ok: false, kind: 'error', message: detail !== null ? `${detail} (HTTP ${status})` : fallback };
}

export function acceptCandidate(ctx: ApiContext, candidate: Pick<Candidate, 'id' | 'version'>): Promise<ApiResult> {
  return send(ctx, 'POST', candidateUrl(ctx.urls.accept, candidate.id), { version: candidate.version });
}

export function rejectCandidate(
  ctx: ApiContext,
  candidate: Pick<Candidate, 'id' | 'version'>,
  reason: string,
): Promise<ApiResult> {
  return send(ctx, 'POST', candidateUrl(ctx.urls.reject, candidate.id), { version: candidate.version, reason });
}

/** Undo a rejection: the candidate is proposed again. */
export function reopenCandidate(ctx: ApiContext, url: string, candidate: Pick<Candidate, 'id' | 'version'>): Promise<ApiResult> {
  return send(ctx, 'POST', candidateUrl(url, candidate.id), { version: candidate.version });
}

/** PATCH only the changed fields, with the version the change was made against. */
export function updateCandidate(
  ctx: ApiContext,
  id: number,
  version: number,
  changes: Partial<CandidateFields>,
): Promise<ApiResult> {
  return send(ctx, 'PATCH', candidateUrl(ctx.urls.candidate, id), { version, ...changes });
}

/** POST a question written by hand; the server answers 201 with it accepted. */
export function createCandidate(ctx: ApiContext, videoId: number, fields: CandidateFields): Promise<ApiResult> {
  return send(ctx, 'POST', ctx.urls.candidates, { video: videoId, ...fields });
}
