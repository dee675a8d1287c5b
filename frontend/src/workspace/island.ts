import { islandFailure, readPayload } from '../shared/island';
import { vocabularyList } from '../shared/labels';
import { isQuestionDoc } from './api';
import { isComment } from './comments';
import type { ThumbnailsIndex, VideoInfo, WorkspaceData } from './types';

const fail = islandFailure('workspace');

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function thumbnailsIndex(value: unknown): ThumbnailsIndex | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const ok =
    ['thumb_width', 'thumb_height', 'columns', 'rows'].every((k) => typeof v[k] === 'number') &&
    Array.isArray(v.times) &&
    Array.isArray(v.frame_indices);
  return ok ? (value as ThumbnailsIndex) : null;
}

/**
 * Reads the page's `json_script` payload. Returns null (and logs why) when
 * the script is missing, is not JSON, or lacks what the workspace cannot do
 * without: the question, the video's proxy and frame facts, the URLs.
 */
export function readWorkspaceData(script: Element | null): WorkspaceData | null {
  const data = readPayload(script, 'workspace-data', fail);
  if (data === null) return null;
  if (!isQuestionDoc(data.question)) return fail('#workspace-data has no question');
  const video = data.video as Record<string, unknown> | null | undefined;
  if (
    video === null ||
    typeof video !== 'object' ||
    typeof video.id !== 'number' ||
    !['duration', 'fps', 'frame_count', 'width', 'height'].every((k) => typeof video[k] === 'number' && (video[k] as number) > 0) ||
    text(video.proxy_url) === null ||
    text(video.frame_url_template) === null
  ) {
    return fail('#workspace-data has no processed video (proxy, fps, frame count, size)');
  }
  const urls = data.urls as Record<string, unknown> | null | undefined;
  if (urls === null || typeof urls !== 'object' || text(urls.save) === null || text(urls.submit) === null || typeof urls.next !== 'string') {
    return fail('#workspace-data has no urls');
  }
  const info: VideoInfo = {
    id: video.id,
    title: typeof video.title === 'string' ? video.title : '',
    duration: video.duration as number,
    fps: video.fps as number,
    frame_count: video.frame_count as number,
    width: video.width as number,
    height: video.height as number,
    has_audio: video.has_audio === true,
    proxy_url: video.proxy_url as string,
    peaks_url: text(video.peaks_url),
    spectrogram_url: text(video.spectrogram_url),
    thumbnails_url: text(video.thumbnails_url),
    thumbnails_index: thumbnailsIndex(video.thumbnails_index),
    frame_url_template: video.frame_url_template as string,
  };
  const commentUrls = {
    ...(text(urls.comments) !== null ? { comments: urls.comments as string } : {}),
    ...(text(urls.comment_resolve) !== null ? { comment_resolve: urls.comment_resolve as string } : {}),
    ...(text(urls.take_over) !== null ? { take_over: urls.take_over as string } : {}),
    ...(text(urls.proposals) !== null ? { proposals: urls.proposals as string } : {}),
    ...(text(urls.proposal_request) !== null ? { proposal_request: urls.proposal_request as string } : {}),
    ...(text(urls.click_box) !== null ? { click_box: urls.click_box as string } : {}),
    ...(text(urls.job) !== null ? { job: urls.job as string } : {}),
  };
  return {
    question: data.question,
    video: info,
    urls: { save: urls.save as string, submit: urls.submit as string, next: urls.next, ...commentUrls },
    comments: Array.isArray(data.comments) ? data.comments.filter(isComment) : [],
    can_comment: data.can_comment === true,
    csrf_token: typeof data.csrf_token === 'string' ? data.csrf_token : '',
    can_annotate: data.can_annotate === true,
    labels: { objects: vocabularyList(data.labels, 'objects'), clusters: vocabularyList(data.labels, 'clusters') },
    ...(typeof data.click_box_missing === 'string' && data.click_box_missing !== ''
      ? { click_box_missing: data.click_box_missing }
      : {}),
  };
}
