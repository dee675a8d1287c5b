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
