import { useEffect, useState } from 'react';
import { fetchJobs } from './api';
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
export function JobsTable({ apiUrl, initialJobs, pollMs = 2000, idlePollMs = 15000, fetchImpl }: JobsTableProps) {
  const [jobs, setJobs] = useState<Job[]>(initialJobs);
  const [notice, setNotice] = useState<string | null>(null);
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
          </tr>
        </thead>
        <tbody>
          {jobs.length === 0 ? (
            <tr className="jobs-empty">
              <td colSpan={7}>No jobs yet.</td>
            </tr>
          ) : (
            jobs.map((job) => <JobRow key={job.id} job={job} nowMs={nowMs} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({ job, nowMs }: { job: Job; nowMs: number }) {
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
