import { ConflictPanel } from './ConflictPanel';
import type { ReviewDoc } from './reviewDoc';
import { LeaveLink, type ReviewSnapshot } from './ReviewHeader';

export interface ReviewNoticesProps {
  snapshot: ReviewSnapshot;
  mine: ReviewDoc;
  onLeave(url: string | null, which: string): void;
  onReapply(): void;
  onDiscard(): void;
}

/** What the reviewer must know under the header: read only, a save that failed, the accept, a 409. */
export function ReviewNotices({ snapshot, mine, onLeave, onReapply, onDiscard }: ReviewNoticesProps) {
  const { server, conflict } = snapshot;
  const accepted = server.state === 'accepted';
  return (
    <>
      {!server.editable && (
        <p className="er-notice" data-testid="readonly-notice" role="note">
          Read only: you can look at this event but not change it{accepted ? ' (it has been accepted)' : ''}.
        </p>
      )}
      {snapshot.message !== null && snapshot.status !== 'saving' && (
        <div className="er-error" role="alert" data-testid="save-error">
          <p>{snapshot.message}</p>
          {snapshot.errors.general.length > 0 && (
            <ul>
              {snapshot.errors.general.map((m, k) => (
                <li key={k}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {accepted && snapshot.finishedVersion !== null && (
        <p className="er-outcome" role="status" data-testid="accepted-notice">
          <strong>Event accepted</strong> (version {snapshot.finishedVersion}).{' '}
          {server.next_url !== null && (
            <LeaveLink url={server.next_url} onLeave={() => onLeave(server.next_url, 'next')}>
              Next event
            </LeaveLink>
          )}
        </p>
      )}
      {conflict !== null && (
        <ConflictPanel
          mine={mine}
          theirs={conflict.current}
          message={conflict.message}
          busy={snapshot.finishing}
          canReapply={conflict.current.editable}
          onReapply={onReapply}
          onDiscard={onDiscard}
        />
      )}
    </>
  );
}
