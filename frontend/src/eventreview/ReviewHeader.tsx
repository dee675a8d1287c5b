import type { ReactNode } from 'react';
import { formatInterval, KEEP_FOCUS } from '../components';
import type { SaveStatus, SyncSnapshot } from '../shared/docSync';
import type { KeyedErrors } from './errors';
import type { EventDoc } from './types';

export type ReviewSnapshot = SyncSnapshot<EventDoc, KeyedErrors>;

export function statusText(snapshot: ReviewSnapshot, dirty: boolean): string {
  if (!snapshot.server.editable) return 'Read only';
  const texts: Record<SaveStatus, string> = {
    saved: dirty ? 'Unsaved changes' : 'Saved',
    pending: 'Unsaved changes',
    saving: snapshot.finishing ? 'Accepting…' : 'Saving…',
    offline: 'Offline: will retry',
    conflict: 'Not saved: changed on the server',
    invalid: 'Not saved: fix the marked problems',
    error: 'Not saved: error',
  };
  return texts[snapshot.status];
}

/** The machine-readable save state (`data-status`): the status, "pending" for edits not sent yet, "readonly". */
export function statusCode(snapshot: ReviewSnapshot, dirty: boolean): SaveStatus | 'readonly' {
  if (!snapshot.server.editable) return 'readonly';
  return snapshot.status === 'saved' && dirty ? 'pending' : snapshot.status;
}

/** A link to another event that saves before it leaves. */
export function LeaveLink({ url, title, onLeave, children }: { url: string; title?: string; onLeave(): void; children: ReactNode }) {
  return (
    <a
      href={url}
      onClick={(e) => {
        e.preventDefault();
        onLeave();
      }}
      {...(title === undefined ? {} : { title })}
    >
      {children}
    </a>
  );
}

export interface ReviewHeaderProps {
  snapshot: ReviewSnapshot;
  dirty: boolean;
  /** The saver may save (the page may be read only). */
  savable: boolean;
  /** Edits are allowed now. */
  editable: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onSave(): void;
  onAccept(): void;
  onLeave(url: string | null, which: string): void;
}

/** The event, its state, the save state and version, and the history, save, accept and navigation buttons. */
export function ReviewHeader({ snapshot, dirty, savable, editable, canUndo, canRedo, onUndo, onRedo, onSave, onAccept, onLeave }: ReviewHeaderProps) {
  const { server } = snapshot;
  const { video, event } = server;
  const status = statusCode(snapshot, dirty);
  return (
    <header className="er-header">
      <h2 className="er-title">
        {video.title || `Video ${video.id}`}{' '}
        <span className="er-muted">
          · event {event.number}
          {event.label !== '' && <> · “{event.label}”</>} · {formatInterval(event.start, event.end)}
        </span>
      </h2>
      <span className={`er-state er-state-${server.state}`} data-testid="event-state" data-state={server.state}>
        {server.state === 'accepted' ? 'Accepted' : 'Proposed'}
      </span>
      <span
        className={`er-save er-save-${status}`}
        data-testid="save-status"
        data-status={status}
        data-version={snapshot.version}
        data-dirty={dirty ? 'true' : 'false'}
        role="status"
      >
        {statusText(snapshot, dirty)}
      </span>
      <span className="er-muted" data-testid="version">
        version {snapshot.version}
      </span>
      <span className="er-header-actions">
        {savable && (
          <>
            <button type="button" onClick={onUndo} disabled={!editable || !canUndo} title="Undo (Ctrl+Z)" {...KEEP_FOCUS}>
              Undo
            </button>
            <button type="button" onClick={onRedo} disabled={!editable || !canRedo} title="Redo (Ctrl+Shift+Z)" {...KEEP_FOCUS}>
              Redo
            </button>
            <button type="button" onClick={onSave} disabled={!editable} title="Save now (Ctrl+S)" {...KEEP_FOCUS}>
              Save
            </button>
            <button
              type="button"
              className="er-primary"
              data-testid="accept-event"
              onClick={onAccept}
              disabled={!editable}
              title="Save and accept the event (Ctrl+Enter)"
              {...KEEP_FOCUS}
            >
              {snapshot.finishing ? 'Accepting…' : 'Accept event'}
            </button>
          </>
        )}
        {server.prev_url !== null && (
          <LeaveLink url={server.prev_url} title="Previous event (p)" onLeave={() => onLeave(server.prev_url, 'previous')}>
            Previous event
          </LeaveLink>
        )}
        {server.next_url !== null && (
          <LeaveLink url={server.next_url} title="Next event (n)" onLeave={() => onLeave(server.next_url, 'next')}>
            Next event
          </LeaveLink>
        )}
      </span>
    </header>
  );
}
