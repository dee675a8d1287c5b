/**
 * Comments on the question: the server calls, the label of a comment's anchor,
 * and where an anchor lies on the timeline.
 */
import { saveErrorsFrom, send } from '../shared/http';
import { failure } from './api';
import { timeOfFrame } from '../components';
import type { CommentInfo } from './types';

export type CommentResult =
  | { kind: 'ok'; comment: CommentInfo }
  /** Refused or failed; `message` says why in words (the server's field messages joined). */
  | { kind: 'error'; message: string }
  | { kind: 'offline' };

/** Where a new comment points: a time, a frame, or nothing (about the whole question). */
export type CommentAnchor = { time: number } | { frame_index: number } | Record<string, never>;

export function isComment(value: unknown): value is CommentInfo {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.text === 'string' && typeof v.can_resolve === 'boolean';
}

/** "12.3 s" for a time, "frame 308" for a frame (the more exact, where a comment has both); null for neither. */
export function anchorLabel(anchor: { time?: number | null; frame_index?: number | null }): string | null {
  if (anchor.frame_index !== undefined && anchor.frame_index !== null) return `frame ${anchor.frame_index}`;
  if (anchor.time !== undefined && anchor.time !== null) return `${anchor.time.toFixed(1)} s`;
  return null;
}

/** The time a comment points at on the timeline (a frame's middle), or null. */
export function anchorTime(comment: CommentInfo, fps: number): number | null {
  if (comment.frame_index !== null) return timeOfFrame(comment.frame_index, fps);
  return comment.time;
}

async function post(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
  body: unknown,
): Promise<CommentResult> {
  const answer = await send(fetchImpl, 'POST', url, csrfToken, body);
  if (answer === null) return { kind: 'offline' };
  if (answer.ok) {
    return isComment(answer.payload)
      ? { kind: 'ok', comment: answer.payload }
      : { kind: 'error', message: `Unexpected answer from the server (HTTP ${answer.status}).` };
  }
  if (answer.status === 400 && answer.parsed) {
    const { detail, errors } = saveErrorsFrom(answer.payload);
    const messages = Object.values(errors);
    return { kind: 'error', message: messages.length > 0 ? messages.join(' ') : detail };
  }
  return { kind: 'error', message: failure(answer) };
}

export function addComment(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
  question: number,
  text: string,
  anchor: CommentAnchor,
): Promise<CommentResult> {
  return post(fetchImpl, url, csrfToken, { question, text, ...anchor });
}

export function resolveComment(
  fetchImpl: typeof fetch,
  urlTemplate: string,
  csrfToken: string,
  id: number,
): Promise<CommentResult> {
  return post(fetchImpl, urlTemplate.replace('{id}', String(id)), csrfToken, {});
}
