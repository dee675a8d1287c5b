import { isCandidate } from './api';
import type { Stage1Data } from './types';

/**
 * Reads the page's `json_script` payload. Returns null (and logs why) when
 * the script is missing, is not JSON or lacks the video or the URLs; candidates
 * that do not look like candidates are dropped.
 */
export function readStage1Data(script: Element | null): Stage1Data | null {
  const text = script?.textContent ?? '';
  if (text.trim() === '') {
    console.error('stage1 island: #stage1-data is missing or empty');
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    console.error('stage1 island: #stage1-data does not contain valid JSON');
    return null;
  }
  if (raw === null || typeof raw !== 'object') {
    console.error('stage1 island: #stage1-data is not an object');
    return null;
  }
  const data = raw as Partial<Record<keyof Stage1Data, unknown>>;
  const video = data.video as Stage1Data['video'] | undefined;
  const urls = data.urls as Stage1Data['urls'] | undefined;
  if (video === undefined || video === null || typeof video.id !== 'number') {
    console.error('stage1 island: #stage1-data has no video');
    return null;
  }
  if (
    urls === undefined ||
    urls === null ||
    typeof urls.candidates !== 'string' ||
    typeof urls.candidate !== 'string' ||
    typeof urls.accept !== 'string' ||
    typeof urls.reject !== 'string'
  ) {
    console.error('stage1 island: #stage1-data has no urls');
    return null;
  }
  const candidates = Array.isArray(data.candidates) ? data.candidates.filter(isCandidate) : [];
  return {
    video: {
      id: video.id,
      title: typeof video.title === 'string' ? video.title : '',
      duration: typeof video.duration === 'number' ? video.duration : null,
      fps: typeof video.fps === 'number' ? video.fps : null,
      proxy_url: typeof video.proxy_url === 'string' && video.proxy_url !== '' ? video.proxy_url : null,
    },
    candidates,
    urls,
    csrf_token: typeof data.csrf_token === 'string' ? data.csrf_token : '',
    can_annotate: data.can_annotate === true,
  };
}
