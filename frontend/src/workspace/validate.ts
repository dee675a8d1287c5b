import { clusterNameProblem } from './clusters';
import { CATEGORIES, CATEGORY_LABELS, MODALITIES, type DocErrors, type EditableDoc } from './doc';
import type { Category, Clue, VideoInfo } from './types';

/** The video facts validation needs. */
export type VideoBounds = Pick<VideoInfo, 'duration' | 'frame_count' | 'width' | 'height'>;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const ARTICLE: Record<Category, string> = { event: 'an event', object: 'an object', attribute: 'an attribute' };

function intervalProblem(start: number, end: number, duration: number): string | null {
  if (!finite(start) || !finite(end)) return 'Start and end must be numbers.';
  if (start < 0) return 'It starts before the video.';
  if (end > duration) return `It ends after the video (${duration} s).`;
  if (!(start < end)) return 'The end must come after the start.';
  return null;
}

function clueProblem(doc: EditableDoc, clue: Clue, video: VideoBounds): string | null {
  if (clue.kind !== doc.category) {
    return `This is ${ARTICLE[clue.kind]} clue; the question counts ${CATEGORY_LABELS[doc.category].toLowerCase()}s.`;
  }
  if (clue.kind === 'event') {
    return intervalProblem(clue.start, clue.end, video.duration);
  }
  if (!Number.isInteger(clue.frame_index) || clue.frame_index < 0 || clue.frame_index >= video.frame_count) {
    return `The frame must be between 0 and ${video.frame_count - 1}.`;
  }
  if (![clue.x1, clue.y1, clue.x2, clue.y2].every(finite)) return 'The box coordinates must be numbers.';
  if (!(clue.x2 > clue.x1 && clue.y2 > clue.y1)) return 'The box has no area.';
  if (clue.x1 < 0 || clue.y1 < 0 || clue.x2 > video.width || clue.y2 > video.height) {
    return `The box leaves the frame (${video.width}×${video.height}).`;
  }
  if (clue.kind === 'attribute' && !doc.clusters.some((c) => c.name === clue.cluster)) {
    return clue.cluster === '' ? 'The box is in no cluster.' : `No cluster is named "${clue.cluster}".`;
  }
  if (clue.kind === 'object' && clue.cluster !== '') return 'An object box has no cluster.';
  return null;
}

/**
 * The problems the server would refuse a save for, keyed as it keys them;
 * an empty object when there are none.
 */
export function validateDoc(doc: EditableDoc, video: VideoBounds): DocErrors {
  const errors: DocErrors = {};
  if (doc.text.trim() === '') errors.text = 'Write the question.';
  if (!CATEGORIES.includes(doc.category)) errors.category = 'Choose a category.';
  if (!MODALITIES.includes(doc.modality)) errors.modality = 'Choose a modality.';
  if (doc.drafted_answer !== null && !(Number.isInteger(doc.drafted_answer) && doc.drafted_answer >= 0)) {
    errors.drafted_answer = 'The count is a whole number, 0 or more.';
  }
  if (doc.ref_start === null && doc.ref_end !== null) {
    errors.ref_start = 'Set both ends of the reference interval, or neither.';
  } else if (doc.ref_start !== null && doc.ref_end === null) {
    errors.ref_end = 'Set both ends of the reference interval, or neither.';
  } else if (doc.ref_start !== null && doc.ref_end !== null) {
    const problem = intervalProblem(doc.ref_start, doc.ref_end, video.duration);
    if (problem !== null) errors[doc.ref_start < 0 || !finite(doc.ref_start) ? 'ref_start' : 'ref_end'] = problem;
  }
  doc.clusters.forEach((cluster, i) => {
    const problem = clusterNameProblem(doc.clusters, i, cluster.name);
    if (problem !== null) errors[`clusters[${i}]`] = problem;
  });
  doc.clues.forEach((clue, i) => {
    const problem = clueProblem(doc, clue, video);
    if (problem !== null) errors[`clues[${i}]`] = problem;
  });
  return errors;
}

/** Validation plus what a submit needs: a drafted count and a reference interval. */
export function validateForSubmit(doc: EditableDoc, video: VideoBounds): DocErrors {
  const errors = validateDoc(doc, video);
  if (doc.drafted_answer === null && errors.drafted_answer === undefined) {
    errors.drafted_answer = 'Draft the count before submitting.';
  }
  if (doc.ref_start === null && doc.ref_end === null) {
    errors.ref_start = 'Set the reference interval before submitting.';
  }
  return errors;
}
