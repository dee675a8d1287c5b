import { DocSync } from '../shared/docSync';
import { Store } from '../shared/store';
import type { SaveOptions, SaveResult } from './api';
import { NO_ERRORS, placeErrors, type KeyedErrors } from './errors';
import { putBody, validate, type ReviewDoc } from './reviewDoc';
import { initialState, isDirty, reviewReducer, type ReviewAction, type ReviewState } from './state';
import type { EventDoc, PutBody } from './types';
import { initialView, viewReducer, type ReviewView, type ViewAction } from './view';

/** Autosave waits this long after the last change. */
export const DEBOUNCE_MS = 1000;

export const LOCAL_INVALID_MESSAGE = 'Not saved: fix the marked problems first.';

export type ReviewSync = DocSync<ReviewDoc, EventDoc, KeyedErrors>;

/** The review's state outside React: the working copy, the view, and the saver. */
export interface ReviewSession {
  store: Store<ReviewState, ReviewAction>;
  view: Store<ReviewView, ViewAction>;
  sync: ReviewSync;
}

/** PUT of a body (made on a version, accepting the event or not). */
export type SaveBody = (body: PutBody, options: SaveOptions) => Promise<SaveResult>;

/**
 * The review of `doc`: the saver PUTs the working copy with the version it
 * was made on (after the local checks), and with `accept` for "Accept
 * event"; the ids the server gives new objects and boxes come back into the
 * working copy and its history.
 */
export function startReview(doc: EventDoc, save: SaveBody, debounceMs = DEBOUNCE_MS): ReviewSession {
  const store = new Store(reviewReducer, initialState(doc));
  const view = new Store(viewReducer, initialView());
  const sync: ReviewSync = new DocSync(doc, {
    save: (version, edited, { keepalive, finish }) => save(putBody(version, edited, finish), { keepalive }),
    getDoc: () => store.getState().present,
    isDirty: () => isDirty(store.getState()),
    saved: (sent, server, accepted) => store.dispatch(accepted ? { type: 'reset', server } : { type: 'saved', sent, server }),
    rebase: (server) => store.dispatch({ type: 'rebase', server }),
    reset: (server) => store.dispatch({ type: 'reset', server }),
    isEditable: (server) => server.editable,
    placeErrors,
    noErrors: NO_ERRORS,
    check: (edited) => (Object.keys(validate(edited)).length === 0 ? null : LOCAL_INVALID_MESSAGE),
    debounceMs,
  });
  return { store, view, sync };
}
