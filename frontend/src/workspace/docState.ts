import { canRedo, canUndo, edit, redo, resetHistory, undo, undoable, type Undoable } from '../shared/undo';
import { editableOf, sameDoc, wireDoc, type EditableDoc } from './doc';
import { mergeDocs, type MergePlan } from './merge';
import type { QuestionDoc } from './types';

export { canRedo, canUndo };

/** The question being edited: every version of it for undo / redo, and the one the server holds. */
export interface DocState extends Undoable<EditableDoc> {
  /** What the server holds (as far as this page knows): the present differs from it = unsaved changes. */
  saved: EditableDoc;
  /**
   * What the present's edits were made on, where that is not `saved`: the base a journal recovered on an older
   * version recorded. A conflict's re-apply merges against it (else against `saved`).
   */
  base: EditableDoc | null;
  /** What the last re-apply merged, to say so (null before any). */
  lastMerge: MergePlan | null;
}

export type DocAction =
  /** An edit: one undo step, or part of the step of the same `field` being typed. */
  | { type: 'edit'; doc: EditableDoc; field?: string | null; at?: number }
  | { type: 'undo' }
  | { type: 'redo' }
  /** A save of `sent` succeeded. */
  | { type: 'saved'; sent: EditableDoc }
  /**
   * Re-apply after a 409: a three-way merge of the present onto `server` (the fields this page changed since its
   * base on top of the server's document, every other field as the server has it); the merge becomes the present.
   */
  | { type: 'rebase'; server: QuestionDoc }
  /** The server's document is the truth (discard after a 409, a submitted question). */
  | { type: 'reset'; server: QuestionDoc };

/** The state of a page that shows `present` and whose server holds `server`. */
export function initialDocState(present: EditableDoc, server: QuestionDoc, base: EditableDoc | null = null): DocState {
  return { ...undoable(present), saved: editableOf(server), base, lastMerge: null };
}

/** The document this page's unsaved edits were made on (what a conflict's merge compares them with). */
export const mergeBaseOf = (state: DocState): EditableDoc => state.base ?? state.saved;

/** Edits made and not on the server yet (a half-set reference interval is a draft kept here: not counted). */
export const isDirty = (state: DocState): boolean => !sameDoc(wireDoc(state.present, state.saved), state.saved);

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
    case 'saved': {
      // What the server got: a half-set reference interval was sent as the server's previous one.
      const sent = wireDoc(action.sent, state.saved);
      return state.saved === sent ? state : { ...state, saved: sent };
    }
    case 'rebase': {
      const theirs = editableOf(action.server);
      const { doc, plan } = mergeDocs(mergeBaseOf(state), state.present, theirs);
      // The merge is a new start: undoing past it would bring back the other side's overwritten values.
      return { ...resetHistory(state, doc), saved: theirs, base: null, lastMerge: plan };
    }
    case 'reset': {
      const doc = editableOf(action.server);
      return { ...resetHistory(state, doc), saved: doc, base: null };
    }
  }
}
