import { canRedo, canUndo, edit, redo, resetHistory, undo, undoable, type Undoable } from '../shared/undo';
import { editableOf, sameDoc, type EditableDoc } from './doc';
import type { QuestionDoc } from './types';

export { canRedo, canUndo };

/** The question being edited: every version of it for undo / redo, and the one the server holds. */
export interface DocState extends Undoable<EditableDoc> {
  /** What the server holds (as far as this page knows): the present differs from it = unsaved changes. */
  saved: EditableDoc;
}

export type DocAction =
  /** An edit: one undo step, or part of the step of the same `field` being typed. */
  | { type: 'edit'; doc: EditableDoc; field?: string | null; at?: number }
  | { type: 'undo' }
  | { type: 'redo' }
  /** A save of `sent` succeeded. */
  | { type: 'saved'; sent: EditableDoc }
  /** Keep the edits but base them on `server` (re-apply after a 409). */
  | { type: 'rebase'; server: QuestionDoc }
  /** The server's document is the truth (discard after a 409, a submitted question). */
  | { type: 'reset'; server: QuestionDoc };

/** The state of a page that shows `present` and whose server holds `server`. */
export function initialDocState(present: EditableDoc, server: QuestionDoc): DocState {
  return { ...undoable(present), saved: editableOf(server) };
}

/** Edits made and not on the server yet. */
export const isDirty = (state: DocState): boolean => !sameDoc(state.present, state.saved);

export function docReducer(state: DocState, action: DocAction): DocState {
  switch (action.type) {
    case 'edit':
      return edit(state, action.doc, {
        field: action.field ?? null,
        ...(action.at === undefined ? {} : { at: action.at }),
        equals: sameDoc,
      });
    case 'undo':
      return undo(state);
    case 'redo':
      return redo(state);
    case 'saved':
      return state.saved === action.sent ? state : { ...state, saved: action.sent };
    case 'rebase':
      return { ...state, saved: editableOf(action.server) };
    case 'reset': {
      const doc = editableOf(action.server);
      return { ...resetHistory(state, doc), saved: doc };
    }
  }
}
