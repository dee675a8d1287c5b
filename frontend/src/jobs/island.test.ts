import { afterEach, describe, expect, it, vi } from 'vitest';
import { readIslandConfig } from './island';

function setup(html: string): { root: HTMLElement; script: Element | null } {
  document.body.innerHTML = html;
  const root = document.getElementById('jobs-root');
  if (root === null) {
    throw new Error('no root');
  }
  return { root, script: document.getElementById('jobs-initial') };
}

afterEach(() => {
  document.body.innerHTML = '';
});

const JOB = {
  id: 3,
  kind: 'media.synthesize_video',
  kind_label: 'Generate synthetic video',
  state: 'queued',
  target_label: 'Beeps and squares 2',
  project: null,
  project_name: null,
  progress_done: 0,
  progress_total: 0,
  error: '',
  attempts: 0,
  created_at: '2024-05-01T10:00:00Z',
  started_at: null,
  finished_at: null,
  updated_at: '2024-05-01T10:00:00Z',
};

describe('readIslandConfig', () => {
  it('reads where retry and cancel go, and the CSRF token', () => {
    const { root, script } = setup(
      `<input type="hidden" name="csrfmiddlewaretoken" value="tok9">
       <div id="jobs-root" data-api-url="/api/jobs/?project=2" data-actions-url="/api/v1/jobs/"></div>`,
    );
    expect(readIslandConfig(root, script)).toMatchObject({ actionsUrl: '/api/v1/jobs/', csrfToken: 'tok9' });
  });

  it('reads the api url and a json_script list', () => {
    const { root, script } = setup(
      `<div id="jobs-root" data-api-url="/api/jobs/"></div>
       <script type="application/json" id="jobs-initial">${JSON.stringify([JOB])}</script>`,
    );
    expect(readIslandConfig(root, script)).toMatchObject({ apiUrl: '/api/jobs/', initialJobs: [JOB] });
  });

  it('accepts a DRF paginated envelope', () => {
    const payload = { count: 1, next: null, previous: null, results: [JOB] };
    const { root, script } = setup(
      `<div id="jobs-root" data-api-url="/api/jobs/"></div>
       <script type="application/json" id="jobs-initial">${JSON.stringify(payload)}</script>`,
    );
    expect(readIslandConfig(root, script).initialJobs).toEqual([JOB]);
  });

  it('decodes json_script escapes', () => {
    // Django's json_script escapes <, > and & as \u003C, \u003E, \u0026.
    const job = { ...JOB, target_label: '<b>&</b>' };
    const escaped = JSON.stringify([job])
      .replace(/</g, '\\u003C')
      .replace(/>/g, '\\u003E')
      .replace(/&/g, '\\u0026');
    const { root, script } = setup(
      `<div id="jobs-root" data-api-url="/x/"></div><script type="application/json" id="jobs-initial">${escaped}</script>`,
    );
    expect(readIslandConfig(root, script).initialJobs[0]?.target_label).toBe('<b>&</b>');
  });

  it('falls back to no jobs when the script is missing or invalid', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let { root, script } = setup('<div id="jobs-root"></div>');
    expect(readIslandConfig(root, script)).toMatchObject({ apiUrl: '', initialJobs: [] });

    ({ root, script } = setup(
      '<div id="jobs-root" data-api-url="/a/"></div><script type="application/json" id="jobs-initial">{oops</script>',
    ));
    expect(readIslandConfig(root, script)).toMatchObject({ apiUrl: '/a/', initialJobs: [] });
    expect(errors).toHaveBeenCalledOnce();
  });
});
