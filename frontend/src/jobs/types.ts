export type JobState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  kind: string;
  kind_label: string;
  state: JobState;
  target_label: string;
  project: number | null;
  project_name: string | null;
  progress_done: number;
  progress_total: number;
  error: string;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** host:pid of the process that runs (or last ran) it. */
  worker?: string;
  lease_expires_at?: string | null;
  /** When its message reached the task queue; null while it waits for the queue. */
  sent_at?: string | null;
  can_retry?: boolean;
  can_cancel?: boolean;
  /** The user may retry or cancel it (a manager of its project). */
  can_manage?: boolean;
}

/** DRF's PageNumberPagination / LimitOffsetPagination envelope. */
export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
