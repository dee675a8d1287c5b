import type { Job } from './types';

export type FetchResult = { ok: true; jobs: Job[] } | { ok: false; message: string };

/**
 * Accepts either DRF's paginated envelope `{count, next, previous, results}`
 * or a bare list; returns null for anything else.
 */
export function jobsFromPayload(payload: unknown): Job[] | null {
  if (Array.isArray(payload)) {
    return payload as Job[];
  }
  if (payload !== null && typeof payload === 'object' && 'results' in payload) {
    const results = (payload as { results: unknown }).results;
    if (Array.isArray(results)) {
      return results as Job[];
    }
  }
  return null;
}

/** GET the jobs list; never throws (an aborted request resolves to a failure too). */
export async function fetchJobs(
  fetchImpl: typeof fetch,
  apiUrl: string,
  signal?: AbortSignal,
): Promise<FetchResult> {
  let response: Response;
  try {
    response = await fetchImpl(apiUrl, {
      method: 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: signal ?? null,
    });
  } catch {
    return { ok: false, message: 'Could not refresh jobs (network error); retrying' };
  }
  if (!response.ok) {
    return { ok: false, message: `Could not refresh jobs (HTTP ${response.status}); retrying` };
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    return { ok: false, message: 'Could not refresh jobs (invalid response); retrying' };
  }
  const jobs = jobsFromPayload(payload);
  if (jobs === null) {
    return { ok: false, message: 'Could not refresh jobs (unexpected response); retrying' };
  }
  return { ok: true, jobs };
}

export type JobAction = 'retry' | 'cancel';
export type ActionResult = { ok: true; job: Job } | { ok: false; message: string };

/** POST `{actionsUrl}{id}/{action}/`: the job as it is now, or why not (the server's words). Never throws. */
export async function jobAction(
  fetchImpl: typeof fetch,
  actionsUrl: string,
  csrfToken: string,
  id: number,
  action: JobAction,
): Promise<ActionResult> {
  let response: Response;
  try {
    response = await fetchImpl(`${actionsUrl}${id}/${action}/`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRFToken': csrfToken },
      body: '{}',
    });
  } catch {
    return { ok: false, message: `Could not ${action} job ${id} (network error); try again` };
  }
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok && payload !== null && typeof payload === 'object' && 'id' in payload) {
    return { ok: true, job: payload as Job };
  }
  const detail = payload !== null && typeof payload === 'object' ? (payload as { detail?: unknown }).detail : undefined;
  return {
    ok: false,
    message: typeof detail === 'string' && detail !== '' ? detail : `Could not ${action} job ${id} (HTTP ${response.status})`,
  };
}
