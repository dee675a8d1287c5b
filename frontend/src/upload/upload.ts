/** Uploads one file with XMLHttpRequest (fetch reports no upload progress) and reports progress. */

export interface UploadResult {
  ok: boolean;
  status: number;
  /** The video's id when the server accepted it. */
  videoId: number | null;
  /** True when the project already had a file with the same content. */
  duplicate: boolean;
  message: string;
}

export interface UploadOptions {
  url: string;
  project: string;
  file: File;
  csrfToken: string;
  onProgress?: (fraction: number) => void;
  xhrFactory?: () => XMLHttpRequest;
}

function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const values = Object.values(body as Record<string, unknown>).flat();
    const text = values.filter((v) => typeof v === 'string').join(' ');
    if (text) return text;
  }
  return status === 0 ? 'network error: the upload did not reach the server' : `HTTP ${status}`;
}

export function uploadVideo({ url, project, file, csrfToken, onProgress, xhrFactory }: UploadOptions): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = (xhrFactory ?? (() => new XMLHttpRequest()))();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRFToken', csrfToken);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.lengthComputable && onProgress) onProgress(event.total > 0 ? event.loaded / event.total : 0);
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, videoId: null, duplicate: false, message: errorMessage(0, null) });
    const interrupted = () =>
      resolve({ ok: false, status: 0, videoId: null, duplicate: false, message: 'upload interrupted; try again' });
    xhr.onabort = interrupted;
    xhr.ontimeout = interrupted;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      const ok = xhr.status === 200 || xhr.status === 201;
      const record = (body ?? {}) as { id?: number; duplicate?: boolean; detail?: unknown };
      resolve({
        ok,
        status: xhr.status,
        videoId: ok && typeof record.id === 'number' ? record.id : null,
        duplicate: ok && record.duplicate === true,
        message: ok
          ? record.duplicate
            ? 'already in the project'
            : typeof record.detail === 'string' && record.detail !== ''
              ? record.detail
              : 'uploaded; processing queued'
          : errorMessage(xhr.status, body),
      });
    };
    const form = new FormData();
    form.append('project', project);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
