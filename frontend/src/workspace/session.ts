import { DocSync } from '../shared/docSync';
import { Store } from '../shared/store';
import { saveDoc } from './api';
import { editableOf, wireDoc, type DocErrors, type EditableDoc } from './doc';
import { sameContent } from './merge';
import { docReducer, initialDocState, isDirty, type DocAction, type DocState } from './docState';
import { clearLocal, loadLocal, recoveryFor, saveLocal } from './persistence';
import type { QuestionDoc, QuestionStateName, WorkspaceData } from './types';
import { initialView, viewReducer, type ViewAction, type ViewState } from './view';

/** Autosave waits this long after the last change. */
export const DEBOUNCE_MS = 800;

const EDITABLE_STATES: readonly QuestionStateName[] = ['draft', 'answered'];

/** The annotator may still change a question in this state. */
export const isEditableState = (state: QuestionStateName): boolean => EDITABLE_STATES.includes(state);

/** The server's word when it gives one, else the question's state. */
export const isEditable = (doc: { state: QuestionStateName; editable?: boolean }): boolean =>
  doc.editable ?? isEditableState(doc.state);

export type WorkspaceSync = DocSync<EditableDoc, QuestionDoc, DocErrors>;

/** The workspace's state outside React: the question, the view, and the saver. */
export interface Session {
  doc: Store<DocState, DocAction>;
  view: Store<ViewState, ViewAction>;
  sync: WorkspaceSync;
  /** A journal made on the version the server still has, to save again once mounted. */
  resend: boolean;
}

const NO_ERRORS: DocErrors = {};

/**
 * The workspace of `data`: the journal kept in this browser is recovered
 * into a question that can still be edited (re-applied when made on the
 * server's version, else shown as a conflict); the saver PUTs the question
 * with the version it was made on, and journals it meanwhile.
 */
export function startSession(data: WorkspaceData, fetchRef: { current: typeof fetch }): Session {
  const { question, urls, csrf_token: csrf, can_annotate: canAnnotate } = data;
  const server = editableOf(question);
  // A journal is recovered only into a question that can still be edited; otherwise the server's
  // document is shown and the journal is left alone.
  const canRecover = canAnnotate && isEditable(question);
  const recovery = canRecover
    ? recoveryFor(loadLocal(question.id), question, (d) => sameContent(d, server))
    : ({ kind: 'none' } as const);
  // A journal made on an older version: its base (when it kept one) is what a re-apply merges against; without
  // one, every field it differs in from the server's counts as changed here.
  const base = recovery.kind === 'conflict' ? (recovery.base ?? null) : null;
  const doc = new Store(docReducer, initialDocState(recovery.kind === 'none' ? server : recovery.doc, question, base));
  const view = new Store(viewReducer, initialView(data.comments ?? []));
  const sync: WorkspaceSync = new DocSync(question, {
    // A half-set reference interval stays a draft in the page: the save sends the server's interval (or none).
    save: (version, edited, { keepalive }) =>
      saveDoc(fetchRef.current, urls.save, csrf, version, wireDoc(edited, doc.getState().saved), { keepalive }),
    getDoc: () => doc.getState().present,
    isDirty: () => isDirty(doc.getState()),
    saved: (sent) => doc.dispatch({ type: 'saved', sent }),
    rebase: (current) => doc.dispatch({ type: 'rebase', server: current }),
    reset: (current) => doc.dispatch({ type: 'reset', server: current }),
    isEditable: (current) => canAnnotate && isEditable(current),
    placeErrors: (_sent, errors) => errors,
    noErrors: NO_ERRORS,
    journal: {
      save: (baseVersion, edited) => {
        const state = doc.getState();
        saveLocal(question.id, baseVersion, edited, Date.now(), state.base ?? state.saved);
      },
      clear: () => clearLocal(question.id),
    },
    debounceMs: DEBOUNCE_MS,
  });
  if (recovery.kind === 'conflict') {
    sync.enterConflict(
      question,
      `Changes kept in this browser were made on version ${recovery.baseVersion}; the server has version ${question.version}.`,
      recovery.baseVersion,
    );
  } else if (recovery.kind === 'none' && canRecover) {
    clearLocal(question.id);
  }
  return { doc, view, sync, resend: recovery.kind === 'reapply' };
}
