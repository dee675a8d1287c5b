import { jobsFromPayload } from './api';
import type { Job } from './types';

export interface IslandConfig {
  apiUrl: string;
  initialJobs: Job[];
  /** The jobs endpoint that `{id}/retry/` and `{id}/cancel/` hang from; empty: no actions. */
  actionsUrl: string;
  csrfToken: string;
}

/**
 * Reads the island's configuration from the server-rendered page:
 * `data-api-url` on the root element and the initial jobs from Django's
 * `json_script` output (`<script type="application/json" id="...">`), which
 * may hold a bare list or a DRF paginated envelope.
 */
export function readIslandConfig(root: HTMLElement, initialScript: Element | null): IslandConfig {
  const apiUrl = root.dataset.apiUrl ?? '';
  let initialJobs: Job[] = [];
  const text = initialScript?.textContent ?? '';
  if (text.trim() !== '') {
    try {
      initialJobs = jobsFromPayload(JSON.parse(text)) ?? [];
    } catch {
      console.error('jobs island: #jobs-initial does not contain valid JSON');
    }
  }
  const csrf = (document.querySelector('input[name=csrfmiddlewaretoken]') as HTMLInputElement | null)?.value ?? '';
  return { apiUrl, initialJobs, actionsUrl: root.dataset.actionsUrl ?? '', csrfToken: csrf };
}
