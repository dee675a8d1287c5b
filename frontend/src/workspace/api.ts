import { conflictOf, detailOf, getJson, isRetryableStatus, saveErrorsFrom, send, type Answer, type SaveOptions } from '../shared/http';
import type { SaveResult as DocSaveResult } from '../shared/docSync';
import { editableOf, type EditableDoc } from './doc';
import type { ProposalList, QuestionDoc, SubmitResult } from './types';

export { saveErrorsFrom, type SaveOptions };

/** The answer to a save: the new version, a 409 with the newer one, a 400 keyed like "text" or "clues[3]", ... */
export type SaveResult = DocSaveResult<QuestionDoc>;

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

/** A failed request, in words. */
export function failure(answer: Answer): string {
  const detail = answer.parsed ? detailOf(answer.payload) : null;
  if (detail !== null) return `${detail} (HTTP ${answer.status})`;
  if (answer.status === 403) {
    return 'You are not allowed to do this (HTTP 403); your session may have expired: reload the page.';
  }
  return `The request failed (HTTP ${answer.status}).`;
}

/** The body of a save: the version it was made on and the whole editable document. */
export function saveBody(version: number, doc: EditableDoc): Record<string, unknown> {
  return { version, ...editableOf(doc) };
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
  const current = conflictOf(answer, isQuestionDoc);
  if (current !== null) {
    return { kind: 'conflict', current, message: detailOf(answer.payload) ?? 'The question changed on the server.' };
  }
  if (answer.status === 400 && answer.parsed) {
    const { detail, errors } = saveErrorsFrom(answer.payload);
    return { kind: 'invalid', detail, errors };
  }
  return { kind: 'error', message: failure(answer), retry: isRetryableStatus(answer.status) };
}

/** POST a take-over: the question's claim becomes this user's; the answer is the document as it is now. */
export async function takeOver(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
): Promise<{ kind: 'ok'; doc: QuestionDoc } | { kind: 'error'; message: string }> {
  const answer = await send(fetchImpl, 'POST', url, csrfToken, {});
  if (answer === null) return { kind: 'error', message: 'The server could not be reached; try again.' };
  if (answer.ok && isQuestionDoc(answer.payload)) return { kind: 'ok', doc: answer.payload };
  return { kind: 'error', message: failure(answer) };
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
  const current = conflictOf(answer, isQuestionDoc);
  if (current !== null) {
    return { kind: 'conflict', current, message: detailOf(answer.payload) ?? 'The question changed on the server.' };
  }
  if (answer.status === 400 && answer.parsed) {
    const { detail, errors } = saveErrorsFrom(answer.payload);
    return { kind: 'error', message: detail, errors };
  }
  return { kind: 'error', message: failure(answer), errors: {} };
}

function isProposalList(value: unknown): value is ProposalList {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.proposals) && typeof v.computing === 'boolean';
}

/** GET the question's proposals; null when the server could not be reached or answered something else. */
export async function fetchProposals(fetchImpl: typeof fetch, url: string): Promise<ProposalList | null> {
  const answer = await getJson(fetchImpl, url);
  if (answer === null || !answer.ok || !isProposalList(answer.payload)) return null;
  return answer.payload;
}

/** POST (managers): compute the proposals again. */
export async function requestProposals(fetchImpl: typeof fetch, url: string, csrfToken: string): Promise<string | null> {
  const answer = await send(fetchImpl, 'POST', url, csrfToken, {});
  if (answer === null) return 'The server could not be reached; try again.';
  return answer.ok ? null : failure(answer);
}
