import { useEffect, useState } from 'react';
import { fetchJobs, jobAction, type JobAction } from './api';
import { formatDuration, isActive, progressPercent } from './progress';
import type { Job, JobState } from './types';

export interface JobsTableProps {
  apiUrl: string;
  initialJobs: Job[];
  /** Delay between polls while a job is active, in milliseconds (default 2000). */
  pollMs?: number;
  /** Delay between polls while nothing is active, so new jobs still appear (default 15000). */
  idlePollMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** The jobs endpoint that `{id}/retry/` and `{id}/cancel/` hang from; absent: no buttons. */
  actionsUrl?: string;
  csrfToken?: string;
}

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  retrying: 'Retrying',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * Table of background jobs. Polls `apiUrl` every `pollMs` while any job is
 * queued/running/retrying, and every `idlePollMs` otherwise (new jobs appear
 * without a reload). A failed poll keeps the last good rows, shows a notice
 * and is retried after `pollMs`.
 */
export function JobsTable({
  apiUrl,
  initialJobs,
  pollMs = 2000,
  idlePollMs = 15000,
  fetchImpl,
  actionsUrl = '',
  csrfToken = '',
}: JobsTableProps) {
  const [jobs, setJobs] = useState<Job[]>(initialJobs);
  const [notice, setNotice] = useState<string | null>(null);
  const [acting, setActing] = useState<number | null>(null);

  /** Retry or cancel a job; its row shows the answer at once (the next poll confirms it). */
  const act = async (job: Job, action: JobAction) => {
    setActing(job.id);
    const result = await jobAction(fetchImpl ?? defaultFetch, actionsUrl, csrfToken, job.id, action);
    setActing(null);
    if (result.ok) {
      setJobs((rows) => rows.map((row) => (row.id === result.job.id ? result.job : row)));
      setNotice(null);
    } else {
      setNotice(result.message);
    }
  };
  const [nowMs, setNowMs] = useState<number>(() => Date.now());

  useEffect(() => {
    const doFetch = fetchImpl ?? defaultFetch;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;

    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        void poll();
      }, delay);
    };

    const poll = async () => {
      controller = new AbortController();
      const result = await fetchJobs(doFetch, apiUrl, controller.signal);
      if (cancelled) {
        return;
      }
      setNowMs(Date.now());
      if (result.ok) {
        setJobs(result.jobs);
        setNotice(null);
        schedule(result.jobs.some(isActive) ? pollMs : idlePollMs);
      } else {
        setNotice(result.message);
        schedule(pollMs);
      }
    };

    schedule(initialJobs.some(isActive) ? pollMs : idlePollMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      controller?.abort();
    };
  // initialJobs only seeds the first delay; later renders must not restart polling.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [apiUrl, pollMs, idlePollMs, fetchImpl]);

  return (
    <div className="jobs-island">
      {notice !== null && (
        <p className="jobs-notice" role="status">
          {notice}
        </p>
      )}
      <table className="jobs">
        <caption>Background jobs</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Target</th>
            <th scope="col">Project</th>
            <th scope="col">State</th>
            <th scope="col">Progress</th>
            <th scope="col">Attempts</th>
            <th scope="col">Duration</th>
            {actionsUrl !== '' && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {jobs.length === 0 ? (
            <tr className="jobs-empty">
              <td colSpan={actionsUrl !== '' ? 8 : 7}>No jobs yet.</td>
            </tr>
          ) : (
            jobs.map((job) => (
              <JobRow
                key={job.id}
                job={job}
                nowMs={nowMs}
                actions={actionsUrl !== ''}
                busy={acting === job.id}
                onAct={(action) => void act(job, action)}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

interface JobRowProps {
  job: Job;
  nowMs: number;
  actions: boolean;
  busy: boolean;
  onAct: (action: JobAction) => void;
}

function JobRow({ job, nowMs, actions, busy, onAct }: JobRowProps) {
  return (
    <tr data-job-id={job.id}>
      <td className="job-kind">{job.kind_label}</td>
      <td className="job-target">{job.target_label}</td>
      <td className="job-project">{job.project_name ?? '—'}</td>
      <td className="job-state">
        <span className={`state state-${job.state}`}>{STATE_LABELS[job.state] ?? job.state}</span>
        {job.state === 'failed' && job.error !== '' && <pre className="job-error">{job.error}</pre>}
      </td>
      <td className="job-progress">
        <JobProgress job={job} />
      </td>
      <td className="job-attempts">{job.attempts}</td>
      <td className="job-duration">
        {job.started_at !== null ? formatDuration(job.started_at, job.finished_at, nowMs) : '—'}
      </td>
      {actions && (
        <td className="job-actions">
          {job.can_manage === true && job.can_retry === true && (
            <button type="button" disabled={busy} onClick={() => onAct('retry')}>
              Retry
            </button>
          )}
          {job.can_manage === true && job.can_cancel === true && (
            <button type="button" disabled={busy} onClick={() => onAct('cancel')}>
              Cancel
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function JobProgress({ job }: { job: Job }) {
  const pct = progressPercent(job);
  const label = `Progress of ${job.kind_label} ${job.target_label}`.trim();
  if (pct !== null) {
    return (
      <>
        <progress max={100} value={pct} aria-label={label} />{' '}
        <span className="progress-text">
          {job.progress_done} / {job.progress_total}
        </span>
      </>
    );
  }
  if (isActive(job)) {
    // No `value` attribute: the browser renders an indeterminate bar.
    return <progress max={100} aria-label={label} />;
  }
  return <span className="progress-text">—</span>;
}
