import { describe, expect, it } from 'vitest';
import { uploadVideo } from './upload';

class FakeXHR {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  withCredentials = false;
  status = 0;
  responseText = '';
  sent: FormData | null = null;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.sent = body;
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function start(fake: FakeXHR, progress: number[] = []) {
  const file = new File([new Uint8Array(10)], 'clip.mp4', { type: 'video/mp4' });
  return uploadVideo({
    url: '/api/v1/videos/',
    project: '7',
    file,
    csrfToken: 'tok',
    onProgress: (f) => progress.push(f),
    xhrFactory: () => fake as unknown as XMLHttpRequest,
  });
}

describe('uploadVideo', () => {
  it('posts the project and file with the CSRF token and reports progress', async () => {
    const fake = new FakeXHR();
    const progress: number[] = [];
    const done = start(fake, progress);
    expect(fake.method).toBe('POST');
    expect(fake.headers['X-CSRFToken']).toBe('tok');
    expect(fake.sent?.get('project')).toBe('7');
    expect((fake.sent?.get('file') as File).name).toBe('clip.mp4');
    fake.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 } as ProgressEvent);
    fake.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 } as ProgressEvent);
    fake.respond(201, { id: 42, duplicate: false });
    const result = await done;
    expect(progress).toEqual([0.5, 1]);
    expect(result).toMatchObject({ ok: true, videoId: 42, duplicate: false });
  });

  it('recognises a duplicate', async () => {
    const fake = new FakeXHR();
    const done = start(fake);
    fake.respond(200, { id: 3, duplicate: true });
    expect(await done).toMatchObject({ ok: true, videoId: 3, duplicate: true, message: 'already in the project' });
  });

  it('shows what the server says of a kept upload, e.g. while the broker is away', async () => {
    const fake = new FakeXHR();
    const done = start(fake);
    fake.respond(201, { id: 5, duplicate: false, detail: 'The file is kept; processing waits for the queue.' });
    expect(await done).toMatchObject({ ok: true, videoId: 5, message: 'The file is kept; processing waits for the queue.' });
  });

  it('shows the server error text', async () => {
    const fake = new FakeXHR();
    const done = start(fake);
    fake.respond(403, { detail: 'your role in alpha does not allow this (manage)' });
    expect(await done).toMatchObject({ ok: false, status: 403, message: 'your role in alpha does not allow this (manage)' });
  });

  it('reports a network error', async () => {
    const fake = new FakeXHR();
    const done = start(fake);
    fake.onerror?.();
    expect((await done).message).toContain('network error');
  });

  it('reports an aborted or timed-out upload as interrupted', async () => {
    for (const fire of ['onabort', 'ontimeout'] as const) {
      const fake = new FakeXHR();
      const done = start(fake);
      fake[fire]?.();
      expect(await done).toMatchObject({ ok: false, status: 0, message: 'upload interrupted; try again' });
    }
  });
});
