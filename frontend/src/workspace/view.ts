import type { SetStateAction } from 'react';
import type { DocErrors } from './doc';
import type { CommentInfo, SubmitResult } from './types';

/** What the workspace shows besides the question: selection, hints, the submit and the comments. */
export interface ViewState {
  /** The clue (or region) selected: "clue-<i>", "ref", "comment-<id>". */
  selectedKey: string | null;
  /** The cluster new boxes go to (attribute questions); null: the first. */
  clusterChoice: string | null;
  /** Where `i` started an event that `o` has not ended yet. */
  pendingStart: number | null;
  hint: string | null;
  submitting: boolean;
  /** Problems found on submit, keyed like the server's; cleared by the next edit. */
  submitErrors: DocErrors;
  submitMessage: string | null;
  /** Where the submitted question went. */
  outcome: SubmitResult | null;
  comments: CommentInfo[];
}

export type ViewAction =
  | { type: 'select'; key: string | null }
  | { type: 'hint'; text: string | null }
  /** `i`: an event starts at `at`. */
  | { type: 'eventStarted'; at: number }
  /** A clue was added: it is selected (and, with `eventEnded`, the pending start is used up). */
  | { type: 'clueAdded'; key: string; eventEnded?: boolean }
  | { type: 'clusterChosen'; name: string | null; clearHint?: boolean }
  /** The document was edited: the submit's problems are stale. */
  | { type: 'edited' }
  /** Escape: selection, pending start and hint cleared. */
  | { type: 'escape' }
  /** The document was replaced (discard after a 409): selection and pending start cleared. */
  | { type: 'replaced' }
  | { type: 'submitStarted' }
  | { type: 'submitEnded' }
  /** Not submitted, and why (with the problems, when there are any to mark). */
  | { type: 'submitRefused'; message: string; errors?: DocErrors }
  | { type: 'submitted'; outcome: SubmitResult }
  /** The comments, or how they change (the comments panel adds and resolves them). */
  | { type: 'comments'; update: SetStateAction<CommentInfo[]> };

export function initialView(comments: CommentInfo[]): ViewState {
  return {
    selectedKey: null,
    clusterChoice: null,
    pendingStart: null,
    hint: null,
    submitting: false,
    submitErrors: {},
    submitMessage: null,
    outcome: null,
    comments,
  };
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'select':
      return { ...state, selectedKey: action.key };
    case 'hint':
      return { ...state, hint: action.text };
    case 'eventStarted':
      return { ...state, pendingStart: action.at, hint: null };
    case 'clueAdded':
      return { ...state, selectedKey: action.key, hint: null, ...(action.eventEnded === true ? { pendingStart: null } : {}) };
    case 'clusterChosen':
      return { ...state, clusterChoice: action.name, ...(action.clearHint === true ? { hint: null } : {}) };
    case 'edited':
      return Object.keys(state.submitErrors).length === 0 ? state : { ...state, submitErrors: {} };
    case 'escape':
      return { ...state, selectedKey: null, pendingStart: null, hint: null };
    case 'replaced':
      return { ...state, selectedKey: null, pendingStart: null };
    case 'submitStarted':
      return { ...state, submitting: true, submitMessage: null };
    case 'submitEnded':
      return { ...state, submitting: false };
    case 'submitRefused':
      return { ...state, submitMessage: action.message, ...(action.errors === undefined ? {} : { submitErrors: action.errors }) };
    case 'submitted':
      return { ...state, outcome: action.outcome, pendingStart: null };
    case 'comments':
      return { ...state, comments: typeof action.update === 'function' ? action.update(state.comments) : action.update };
  }
}
