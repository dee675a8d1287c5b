import { draftFromCandidate, newDraft, type Draft } from './draft';
import { FILTER_LABELS, filterCandidates, isEditable, moveSelection, replaceCandidate, reselect, type Filter } from './list';
import type { Candidate, FieldErrors } from './types';

export const CONFLICT_NOTICE = 'This candidate changed since you loaded it; the newer version is shown.';

/** Busy key of the "Add a question" form (candidate ids are positive). */
export const NEW_KEY = -1;

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

export type RequestKind = 'accept' | 'reject' | 'reopen' | 'edit' | 'create';

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
  reopen: null,
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
