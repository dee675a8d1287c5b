import { useState, type Dispatch, type SetStateAction } from 'react';
import { addComment, anchorLabel, resolveComment, type CommentAnchor, type CommentResult } from './comments';
import { KEEP_FOCUS } from '../components';
import type { CommentInfo } from './types';

export interface CommentsPanelProps {
  questionId: number;
  comments: CommentInfo[];
  onChange: Dispatch<SetStateAction<CommentInfo[]>>;
  /** POST a new comment here; without it the panel only reads. */
  addUrl: string | null;
  /** With {id}: POST resolves that comment. */
  resolveUrl: string | null;
  csrfToken: string;
  fetchImpl: typeof fetch;
  canComment: boolean;
  /** Where a comment added now points: the playhead's time, or its frame for box questions. */
  anchor: { time: number } | { frame_index: number };
  onSeek(t: number): void;
  onSeekFrame(index: number): void;
}

const DECISIONS: Record<string, string> = {
  send_back: 'Sent back',
  reject: 'Rejected',
  keep: 'Kept',
  approve: 'Approved',
  fix: 'Fixed',
};

function failureText(result: CommentResult): string {
  if (result.kind === 'offline') return 'Offline: nothing was sent. Try again when connected.';
  return result.kind === 'error' ? result.message : '';
}

/**
 * The question's comments, from reviewers and from its annotator: each with
 * its anchor as a chip ("12.3 s", "frame 308") that moves the player there.
 * Whoever may comment adds one at the playhead (or about the whole question);
 * the author, the annotator and reviewers resolve them.
 */
export function CommentsPanel(props: CommentsPanelProps) {
  const { comments, onChange, canComment, addUrl, resolveUrl, anchor } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = comments.filter((c) => c.resolved_at === null).length;
  const here = anchorLabel(anchor);

  const replace = (comment: CommentInfo) =>
    onChange((list) => (list.some((c) => c.id === comment.id) ? list.map((c) => (c.id === comment.id ? comment : c)) : [...list, comment]));

  const add = async (at: CommentAnchor) => {
    if (addUrl === null || busy || text.trim() === '') return;
    setBusy(true);
    setError(null);
    const result = await addComment(props.fetchImpl, addUrl, props.csrfToken, props.questionId, text, at);
    setBusy(false);
    if (result.kind === 'ok') {
      replace(result.comment);
      setText('');
    } else {
      setError(`Not added: ${failureText(result)}`);
    }
  };

  const resolve = async (id: number) => {
    if (resolveUrl === null || busy) return;
    setBusy(true);
    setError(null);
    const result = await resolveComment(props.fetchImpl, resolveUrl, props.csrfToken, id);
    setBusy(false);
    if (result.kind === 'ok') replace(result.comment);
    else setError(`Not resolved: ${failureText(result)}`);
  };

  const seek = (comment: CommentInfo) => {
    if (comment.frame_index !== null) props.onSeekFrame(comment.frame_index);
    else if (comment.time !== null) props.onSeek(comment.time);
  };

  return (
    <section className="ws-comments" aria-label="Comments">
      <h3>
        Comments <span className="ws-muted">· {open} open</span>
      </h3>
      {comments.length === 0 ? (
        <p className="ws-empty">No comments.</p>
      ) : (
        <ol className="ws-comment-list">
          {comments.map((comment) => {
            const label = anchorLabel(comment);
            const resolved = comment.resolved_at !== null;
            return (
              <li key={comment.id} className={resolved ? 'ws-comment ws-comment-resolved' : 'ws-comment'} data-testid="comment">
                <div className="ws-comment-head">
                  <strong>{comment.author_name || 'someone'}</strong>
                  {comment.review_decision !== '' && (
                    <span className="ws-state-badge">{DECISIONS[comment.review_decision] ?? comment.review_decision}</span>
                  )}
                  {label !== null && (
                    <button type="button" className="ws-chip" {...KEEP_FOCUS} onClick={() => seek(comment)} title={`Go to ${label}`}>
                      {label}
                    </button>
                  )}
                </div>
                <p className="ws-comment-text">{comment.text}</p>
                {resolved ? (
                  <span className="ws-muted">Resolved by {comment.resolved_by_name || 'someone'}</span>
                ) : (
                  comment.can_resolve &&
                  resolveUrl !== null && (
                    <button type="button" {...KEEP_FOCUS} disabled={busy} onClick={() => void resolve(comment.id)}>
                      Resolve
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
      {canComment && addUrl !== null && (
        <div className="ws-comment-form">
          <label className="ws-field ws-field-text">
            New comment
            <textarea
              rows={2}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void add(anchor);
                }
              }}
            />
          </label>
          <div className="ws-clue-actions">
            <button type="button" {...KEEP_FOCUS} disabled={busy || text.trim() === ''} onClick={() => void add(anchor)}>
              Comment at {here}
            </button>
            <button type="button" {...KEEP_FOCUS} disabled={busy || text.trim() === ''} onClick={() => void add({})}>
              Comment on the whole question
            </button>
          </div>
        </div>
      )}
      {error !== null && (
        <p className="ws-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
