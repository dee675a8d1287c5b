import type { Job, JobState } from './types';

const ACTIVE_STATES: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running', 'retrying']);

/** True while the job may still change: queued, running or retrying. */
export function isActive(job: Pick<Job, 'state'>): boolean {
  return ACTIVE_STATES.has(job.state);
}

/**
 * Completion in whole percent (floored, clamped to 0..100), or null when the
 * total is unknown (0 or not a positive number): the progress is indeterminate.
 */
export function progressPercent(job: Pick<Job, 'progress_done' | 'progress_total'>): number | null {
  const total = job.progress_total;
  if (!Number.isFinite(total) || total <= 0) {
    return null;
  }
  const done = Number.isFinite(job.progress_done) ? job.progress_done : 0;
  const pct = Math.floor((done / total) * 100);
  return Math.min(100, Math.max(0, pct));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Elapsed time between `startIso` and `endIso` (or `nowMs` while still
 * running), e.g. "3 s", "2 min 05 s", "1 h 02 min". Returns "" when the
 * start (or end) is not a parseable date. Negative spans (clock skew) are 0.
 */
export function formatDuration(startIso: string, endIso: string | null, nowMs: number): string {
  const start = Date.parse(startIso);
  const end = endIso === null ? nowMs : Date.parse(endIso);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return '';
  }
  const totalSeconds = Math.max(0, Math.floor((end - start) / 1000));
  if (totalSeconds < 60) {
    return `${totalSeconds} s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) {
    return `${totalMinutes} min ${pad2(totalSeconds % 60)} s`;
  }
  const hours = Math.floor(totalMinutes / 60);
  return `${hours} h ${pad2(totalMinutes % 60)} min`;
}
