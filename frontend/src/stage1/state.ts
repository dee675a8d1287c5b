import { summarizeErrors } from './api';
import { formatTime, parseSeconds, secondsToInput } from './format';
import type { Candidate, CandidateFields, CandidateState, Category, FieldErrors, Modality } from './types';

export type Filter = 'all' | CandidateState;

export const FILTERS: readonly Filter[] = ['all', 'proposed', 'accepted', 'rejected'];

export const FILTER_LABELS: Record<Filter, string> = {
  all: 'All',
  proposed: 'Proposed',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export const CONFLICT_NOTICE = 'This candidate changed since you loaded it; the newer version is shown.';

/** Busy key of the "Add a question" form (candidate ids are positive). */
export const NEW_KEY = -1;

// ---------------------------------------------------------------------------
// List helpers

export function filterCandidates(candidates: readonly Candidate[], filter: Filter): Candidate[] {
  return filter === 'all' ? [...candidates] : candidates.filter((c) => c.state === filter);
}

export function countByFilter(candidates: readonly Candidate[]): Record<Filter, number> {
  const counts: Record<Filter, number> = { all: candidates.length, proposed: 0, accepted: 0, rejected: 0 };
  for (const c of candidates) {
    counts[c.state] += 1;
  }
  return counts;
}

/** Only proposed candidates may be edited, accepted or rejected. */
export function isEditable(candidate: Pick<Candidate, 'state'>): boolean {
  return candidate.state === 'proposed';
}

/** Replaces the candidate with the same id (keeping its position), or appends it. */
export function replaceCandidate(candidates: readonly Candidate[], updated: Candidate): Candidate[] {
  let found = false;
  const next = candidates.map((c) => {
    if (c.id === updated.id) {
      found = true;
      return updated;
    }
    return c;
  });
  if (!found) {
    next.push(updated);
  }
  return next;
}

/**
 * Moves the selection by `delta` rows within the visible list, clamped to its
 * ends. With nothing (visible) selected, going down picks the first row and
 * going up the last.
 */
export function moveSelection(visible: readonly Candidate[], selectedId: number | null, delta: number): number | null {
  if (visible.length === 0) {
    return null;
  }
  const index = visible.findIndex((c) => c.id === selectedId);
  if (index === -1) {
    return (delta >= 0 ? visible[0] : visible[visible.length - 1])?.id ?? null;
  }
  const target = Math.min(visible.length - 1, Math.max(0, index + delta));
  return visible[target]?.id ?? null;
}

/**
 * The selection after the visible list changed: the same row while it is
 * still visible, else the row that took its place (so accepting the selected
 * proposal under "Proposed" moves on to the next one), else the first row.
 */
export function reselect(
  visibleBefore: readonly Candidate[],
  visibleAfter: readonly Candidate[],
  selectedId: number | null,
): number | null {
  if (visibleAfter.length === 0) {
    return null;
  }
  if (visibleAfter.some((c) => c.id === selectedId)) {
    return selectedId;
  }
  const index = visibleBefore.findIndex((c) => c.id === selectedId);
  if (index === -1) {
    return visibleAfter[0]?.id ?? null;
  }
  // Rows before it that are still visible keep their places.
  const stillBefore = visibleBefore.slice(0, index).filter((c) => visibleAfter.some((a) => a.id === c.id)).length;
  return visibleAfter[Math.min(stillBefore, visibleAfter.length - 1)]?.id ?? null;
}

// ---------------------------------------------------------------------------
// Form drafts

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

// ---------------------------------------------------------------------------
// The page state

export type Form =
  | {
      kind: 'edit';
      id: number;
      /** The version the user started from; their changes are computed against it. */
      base: Candidate;
      draft: Draft;
      fieldErrors: FieldErrors;
      formError: string | null;
      /** The newer server version after a 409, shown beside the form. */
      conflict: Candidate | null;
    }
  | { kind: 'reject'; id: number; reason: string; formError: string | null }
  | { kind: 'new'; draft: Draft; fieldErrors: FieldErrors; formError: string | null };

export interface Stage1State {
  candidates: Candidate[];
  filter: Filter;
  selectedId: number | null;
  /** Candidate ids (and NEW_KEY) with a request in flight. */
  busy: number[];
  form: Form | null;
  /** Informational notice (role=status), e.g. the 409 notice. */
  notice: string | null;
  /** Error not tied to an open form (role=alert). */
  error: string | null;
}

export type RequestKind = 'accept' | 'reject' | 'edit' | 'create';

export type Action =
  | { type: 'setFilter'; filter: Filter }
  | { type: 'select'; id: number }
  | { type: 'move'; delta: number }
  | { type: 'openEdit'; id: number }
  | { type: 'openReject'; id: number }
  | { type: 'openNew'; duration: number | null }
  | { type: 'cancelForm' }
  | { type: 'editDraft'; patch: Partial<Draft> }
  | { type: 'setReason'; reason: string }
  | { type: 'restartEditFromConflict' }
  | { type: 'invalid'; fieldErrors: FieldErrors; formError?: string | null }
  | { type: 'requestStarted'; key: number }
  | { type: 'requestSucceeded'; key: number; kind: RequestKind; candidate: Candidate }
  | { type: 'requestConflict'; key: number; kind: RequestKind; current: Candidate }
  | {
      type: 'requestFailed';
      key: number;
      kind: RequestKind;
      message: string;
      fieldErrors?: FieldErrors;
    }
  | { type: 'dismissNotice' }
  | { type: 'dismissError' };

export function initialState(candidates: readonly Candidate[], filter: Filter = 'proposed'): Stage1State {
  const list = [...candidates];
  return {
    candidates: list,
    filter,
    selectedId: filterCandidates(list, filter)[0]?.id ?? null,
    busy: [],
    form: null,
    notice: null,
    error: null,
  };
}

export const isBusy = (state: Pick<Stage1State, 'busy'>, key: number): boolean => state.busy.includes(key);

export function visibleCandidates(state: Pick<Stage1State, 'candidates' | 'filter'>): Candidate[] {
  return filterCandidates(state.candidates, state.filter);
}

export function selectedCandidate(state: Pick<Stage1State, 'candidates' | 'selectedId'>): Candidate | null {
  return state.candidates.find((c) => c.id === state.selectedId) ?? null;
}

/** The id the open form belongs to (NEW_KEY for the add form), or null. */
export function formKey(form: Form | null): number | null {
  if (form === null) {
    return null;
  }
  return form.kind === 'new' ? NEW_KEY : form.id;
}

const FORM_OF_REQUEST: Record<RequestKind, Form['kind'] | null> = {
  accept: null,
  reject: 'reject',
  edit: 'edit',
  create: 'new',
};

/** True when the open form is the one this request was sent from. */
function formMatches(form: Form | null, key: number, kind: RequestKind): boolean {
  return form !== null && FORM_OF_REQUEST[kind] === form.kind && formKey(form) === key;
}

function withCandidates(state: Stage1State, candidates: Candidate[]): Stage1State {
  const selectedId = reselect(visibleCandidates(state), filterCandidates(candidates, state.filter), state.selectedId);
  return { ...state, candidates, selectedId };
}

const notBusy = (busy: number[], key: number): number[] => busy.filter((k) => k !== key);

export const FORM_OPEN_NOTICE = 'Finish or cancel (Esc) the open form first.';

/** True when closing the form would throw away something the user typed. */
export function isFormDirty(form: Form | null): boolean {
  if (form === null) {
    return false;
  }
  switch (form.kind) {
    case 'reject':
      return form.reason.trim() !== '';
    case 'new':
      return form.draft.text.trim() !== '';
    case 'edit': {
      const initial = draftFromCandidate(form.base);
      return (
        form.conflict !== null ||
        (Object.keys(initial) as (keyof Draft)[]).some((k) => initial[k].trim() !== form.draft[k].trim())
      );
    }
  }
}

/** Opens `form` unless another form holds unsaved typing (then only a notice says why). */
function openForm(state: Stage1State, form: Form, selectedId: number | null): Stage1State {
  if (state.form !== null && state.form.kind === form.kind && formKey(state.form) === formKey(form)) {
    return state;
  }
  if (isFormDirty(state.form)) {
    return { ...state, notice: FORM_OPEN_NOTICE };
  }
  return { ...state, selectedId, form };
}

/** A form may be opened on a proposed candidate with no request running. */
function canOpenOn(state: Stage1State, id: number): Candidate | null {
  const c = state.candidates.find((x) => x.id === id);
  return c !== undefined && isEditable(c) && !isBusy(state, id) ? c : null;
}

export function reducer(state: Stage1State, action: Action): Stage1State {
  switch (action.type) {
    case 'setFilter': {
      const selectedId = reselect([], filterCandidates(state.candidates, action.filter), state.selectedId);
      return { ...state, filter: action.filter, selectedId };
    }
    case 'select':
      return state.candidates.some((c) => c.id === action.id) ? { ...state, selectedId: action.id } : state;
    case 'move':
      return { ...state, selectedId: moveSelection(visibleCandidates(state), state.selectedId, action.delta) };
    case 'openEdit': {
      const c = canOpenOn(state, action.id);
      if (c === null) {
        return state;
      }
      return openForm(
        state,
        { kind: 'edit', id: c.id, base: c, draft: draftFromCandidate(c), fieldErrors: {}, formError: null, conflict: null },
        c.id,
      );
    }
    case 'openReject': {
      const c = canOpenOn(state, action.id);
      if (c === null) {
        return state;
      }
      return openForm(state, { kind: 'reject', id: c.id, reason: '', formError: null }, c.id);
    }
    case 'openNew':
      return openForm(
        state,
        { kind: 'new', draft: newDraft(action.duration), fieldErrors: {}, formError: null },
        state.selectedId,
      );
    case 'cancelForm':
      return state.form === null ? state : { ...state, form: null };
    case 'editDraft': {
      const form = state.form;
      if (form === null || form.kind === 'reject') {
        return state;
      }
      // A field the user touches loses its (now stale) error.
      const fieldErrors = { ...form.fieldErrors };
      for (const key of Object.keys(action.patch)) {
        delete fieldErrors[key];
      }
      return { ...state, form: { ...form, draft: { ...form.draft, ...action.patch }, fieldErrors } };
    }
    case 'setReason':
      return state.form?.kind === 'reject'
        ? { ...state, form: { ...state.form, reason: action.reason, formError: null } }
        : state;
    case 'restartEditFromConflict': {
      const form = state.form;
      if (form?.kind !== 'edit' || form.conflict === null) {
        return state;
      }
      const current = form.conflict;
      if (!isEditable(current)) {
        return { ...state, form: null };
      }
      return {
        ...state,
        form: { ...form, base: current, draft: draftFromCandidate(current), fieldErrors: {}, formError: null, conflict: null },
      };
    }
    case 'invalid': {
      const form = state.form;
      if (form === null) {
        return state;
      }
      const formError = action.formError ?? null;
      if (form.kind === 'reject') {
        return { ...state, form: { ...form, formError: formError ?? action.fieldErrors.reason?.join(' ') ?? null } };
      }
      return { ...state, form: { ...form, fieldErrors: action.fieldErrors, formError } };
    }
    case 'requestStarted':
      return isBusy(state, action.key)
        ? state
        : { ...state, busy: [...state.busy, action.key], error: null };
    case 'requestSucceeded': {
      const next = withCandidates(
        { ...state, busy: notBusy(state.busy, action.key) },
        replaceCandidate(state.candidates, action.candidate),
      );
      const form = formMatches(state.form, action.key, action.kind) ? null : state.form;
      const notice =
        action.kind === 'create' && state.filter !== 'all' && state.filter !== action.candidate.state
          ? `Added “${action.candidate.text}” as ${action.candidate.state}; it is listed under ${
              FILTER_LABELS[action.candidate.state]
            }.`
          : state.notice;
      return { ...next, form, notice };
    }
    case 'requestConflict': {
      const current = action.current;
      const next = withCandidates(
        { ...state, busy: notBusy(state.busy, action.key), notice: CONFLICT_NOTICE },
        replaceCandidate(state.candidates, current),
      );
      let form = state.form;
      if (form !== null && form.kind !== 'new' && form.id === current.id) {
        if (form.kind === 'edit') {
          // Keep what the user typed; show the newer version beside it.
          form = { ...form, conflict: current, fieldErrors: {}, formError: null };
        } else if (!isEditable(current)) {
          form = null;
        }
      }
      return { ...next, form };
    }
    case 'requestFailed': {
      const base = { ...state, busy: notBusy(state.busy, action.key) };
      const form = state.form;
      if (form !== null && formMatches(form, action.key, action.kind)) {
        const fieldErrors = action.fieldErrors ?? {};
        if (form.kind === 'reject') {
          return { ...base, form: { ...form, formError: action.message } };
        }
        return { ...base, form: { ...form, fieldErrors, formError: action.message === '' ? null : action.message } };
      }
      return { ...base, error: action.message };
    }
    case 'dismissNotice':
      return { ...state, notice: null };
    case 'dismissError':
      return { ...state, error: null };
  }
}

// ---------------------------------------------------------------------------
// Failures

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

/**
 * The action for a failed request. Field errors of the edit / add forms go
 * next to their fields and everything else into the form's alert; a
 * rejection's `reason` error becomes the reject form's message.
 */
export function failureAction(
  key: number,
  kind: RequestKind,
  failure: { message: string; fieldErrors?: FieldErrors },
): Action {
  const errors = failure.fieldErrors;
  if (errors === undefined) {
    return { type: 'requestFailed', key, kind, message: failure.message };
  }
  if (kind === 'edit' || kind === 'create') {
    const { shown, rest } = splitFieldErrors(errors, FORM_FIELDS);
    const restMessage = summarizeErrors(rest);
    const message = restMessage !== '' ? restMessage : Object.keys(shown).length > 0 ? '' : failure.message;
    return { type: 'requestFailed', key, kind, message, fieldErrors: shown };
  }
  if (kind === 'reject' && errors.reason !== undefined) {
    return { type: 'requestFailed', key, kind, message: errors.reason.join(' ') };
  }
  return { type: 'requestFailed', key, kind, message: failure.message };
}
