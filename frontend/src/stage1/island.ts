import { islandFailure, readPayload } from '../shared/island';
import { isCandidate } from './api';
import type { Stage1Data } from './types';

const fail = islandFailure('stage1');

/**
 * Reads the page's `json_script` payload. Returns null (and logs why) when
 * the script is missing, is not JSON or lacks the video or the URLs; candidates
 * that do not look like candidates are dropped.
 */
export function readStage1Data(script: Element | null): Stage1Data | null {
  const raw = readPayload(script, 'stage1-data', fail);
  if (raw === null) return null;
  const data = raw as Partial<Record<keyof Stage1Data, unknown>>;
  const video = data.video as Stage1Data['video'] | undefined;
  const urls = data.urls as Stage1Data['urls'] | undefined;
  if (video === undefined || video === null || typeof video.id !== 'number') return fail('#stage1-data has no video');
  if (
    urls === undefined ||
    urls === null ||
    typeof urls.candidates !== 'string' ||
    typeof urls.candidate !== 'string' ||
    typeof urls.accept !== 'string' ||
    typeof urls.reject !== 'string'
  ) {
    return fail('#stage1-data has no urls');
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
