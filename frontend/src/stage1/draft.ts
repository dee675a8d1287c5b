/** The edit and add forms' drafts: what the user typed, checked and turned into the fields a request sends. */
import { formatTime, parseSeconds, secondsToInput } from './format';
import type { Candidate, CandidateFields, Category, FieldErrors, Modality } from './types';

/** What the user typed in the edit / add form; the interval is kept as typed. */
export interface Draft {
  text: string;
  category: Category;
  modality: Modality;
  query_start: string;
  query_end: string;
}

export function draftFromCandidate(c: Candidate): Draft {
  return {
    text: c.text,
    category: c.category,
    modality: c.modality,
    query_start: secondsToInput(c.query_start),
    query_end: secondsToInput(c.query_end),
  };
}

/** The "Add a question" defaults: the interval is the whole video when its duration is known. */
export function newDraft(duration: number | null): Draft {
  const known = duration !== null && duration > 0;
  return {
    text: '',
    category: 'event',
    modality: 'V',
    query_start: known ? '0' : '',
    query_end: known ? secondsToInput(duration) : '',
  };
}

export type Validation = { ok: true; fields: CandidateFields } | { ok: false; fieldErrors: FieldErrors };

/** Seconds the end may lie past the known duration (container durations are rounded). */
const DURATION_SLACK = 0.05;

/** Checks a draft before it is sent; the server validates again. */
export function validateDraft(draft: Draft, duration: number | null): Validation {
  const errors: FieldErrors = {};
  const text = draft.text.trim();
  if (text === '') {
    errors.text = ['Enter the question.'];
  }
  const start = parseSeconds(draft.query_start);
  const end = parseSeconds(draft.query_end);
  if (start !== null && Number.isNaN(start)) {
    errors.query_start = ['Enter a number of seconds.'];
  }
  if (end !== null && Number.isNaN(end)) {
    errors.query_end = ['Enter a number of seconds.'];
  }
  if (errors.query_start === undefined && errors.query_end === undefined) {
    if ((start === null) !== (end === null)) {
      const missing = start === null ? 'query_start' : 'query_end';
      errors[missing] = ['Give both ends of the interval, or neither for the whole video.'];
    } else if (start !== null && end !== null) {
      if (start < 0) {
        errors.query_start = ['The start cannot be negative.'];
      } else if (start >= end) {
        errors.query_end = ['The end must come after the start.'];
      } else if (duration !== null && duration > 0 && end > duration + DURATION_SLACK) {
        errors.query_end = [`The end lies after the end of the video (${formatTime(duration)}).`];
      }
    }
  }
  if (Object.keys(errors).length > 0) {
    return { ok: false, fieldErrors: errors };
  }
  return {
    ok: true,
    fields: { text, category: draft.category, modality: draft.modality, query_start: start, query_end: end },
  };
}

/**
 * The fields the user changed relative to `base` (the version they started
 * editing). Both interval ends are sent when either changed, so the server
 * validates the pair.
 */
export function changedFields(base: Candidate, draft: Draft, fields: CandidateFields): Partial<CandidateFields> {
  const patch: Partial<CandidateFields> = {};
  if (fields.text !== base.text) {
    patch.text = fields.text;
  }
  if (fields.category !== base.category) {
    patch.category = fields.category;
  }
  if (fields.modality !== base.modality) {
    patch.modality = fields.modality;
  }
  if (
    draft.query_start.trim() !== secondsToInput(base.query_start) ||
    draft.query_end.trim() !== secondsToInput(base.query_end)
  ) {
    patch.query_start = fields.query_start;
    patch.query_end = fields.query_end;
  }
  return patch;
}

/** The fields the edit and add forms show errors next to. */
export const FORM_FIELDS: readonly string[] = ['text', 'category', 'modality', 'query_start', 'query_end'];

/** Splits field errors into those shown next to a field of the form and the rest. */
export function splitFieldErrors(errors: FieldErrors, known: readonly string[]): { shown: FieldErrors; rest: FieldErrors } {
  const shown: FieldErrors = {};
  const rest: FieldErrors = {};
  for (const [key, messages] of Object.entries(errors)) {
    if (messages === undefined) continue;
    (known.includes(key) ? shown : rest)[key] = messages;
  }
  return { shown, rest };
}
