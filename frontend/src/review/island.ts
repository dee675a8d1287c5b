import { islandFailure, readPayload } from '../shared/island';
import type { ReviewData, ReviewEvent, ReviewQuestion, ReviewVideo } from './types';

const fail = islandFailure('review');

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';
const positive = (value: unknown): boolean => typeof value === 'number' && value > 0;
const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function isQuestion(value: unknown): value is ReviewQuestion {
  return (
    isObject(value) &&
    typeof value.id === 'number' &&
    typeof value.text === 'string' &&
    ['event', 'object', 'attribute'].includes(value.category as string) &&
    Array.isArray(value.clues) &&
    Array.isArray(value.clusters)
  );
}

function isEvent(value: unknown): value is ReviewEvent {
  return isObject(value) && typeof value.id === 'number' && isObject(value.event) && Array.isArray(value.seconds) && Array.isArray(value.objects);
}

/** A positive number, or 0 for a fact the video does not have yet (not processed). */
const fact = (value: unknown): number => (positive(value) ? (value as number) : 0);

function questionVideo(video: Record<string, unknown>): ReviewVideo {
  return {
    id: video.id as number,
    title: typeof video.title === 'string' ? video.title : '',
    duration: fact(video.duration),
    fps: fact(video.fps),
    frame_count: fact(video.frame_count),
    width: fact(video.width),
    height: fact(video.height),
    has_audio: video.has_audio === true,
    proxy_url: textOrNull(video.proxy_url),
    peaks_url: textOrNull(video.peaks_url),
    spectrogram_url: textOrNull(video.spectrogram_url),
    thumbnails_url: textOrNull(video.thumbnails_url),
    thumbnails_index: isObject(video.thumbnails_index) ? (video.thumbnails_index as unknown as ReviewVideo['thumbnails_index']) : null,
    frame_url_template: textOrNull(video.frame_url_template),
  };
}

/**
 * Reads the page's `json_script` payload: a question (`kind: "question"`,
 * blind for a double-annotation item) or an R-AVST event (`kind: "event"`)
 * with its video (a fact it does not have yet reads 0, a URL null). Returns
 * null (and logs why) when it is missing or is neither.
 */
export function readReviewData(script: Element | null): ReviewData | null {
  const data = readPayload(script, 'review-data', fail);
  if (data === null) return null;
  const video = data.video;
  if (!isObject(video) || typeof video.id !== 'number') return fail('#review-data has no video');
  if (data.kind === 'question') {
    if (!isQuestion(data.question)) return fail('#review-data has no question');
    return { kind: 'question', blind: data.blind === true, question: data.question, video: questionVideo(video) };
  }
  if (data.kind === 'event') {
    if (!isEvent(data.event)) return fail('#review-data has no event');
    return {
      kind: 'event',
      event: data.event,
      video: {
        id: video.id as number,
        title: typeof video.title === 'string' ? video.title : '',
        fps: fact(video.fps),
        frame_count: fact(video.frame_count),
        width: fact(video.width),
        height: fact(video.height),
        duration: fact(video.duration),
        frame_url_template: textOrNull(video.frame_url_template),
      },
    };
  }
  return fail('#review-data is neither a question nor an event');
}
