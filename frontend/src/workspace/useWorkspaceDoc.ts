import { useEffect, useState, useSyncExternalStore } from 'react';
import { UNSAVED_STATUSES } from '../shared/autosave';
import { useSaveOnLeave } from '../shared/hooks';
import { useStore } from '../shared/store';
import { editableOf, parseClueKey, type EditableDoc } from './doc';
import { fieldList, sameContent } from './merge';
import { startSession } from './session';
import type { WorkspaceData } from './types';

/**
 * The question being edited and its autosave: the session made once (the
 * journal recovered), the stores and the saver's snapshot as React state,
 * and the edits (each an undo step, autosaved) the page makes.
 */
export function useWorkspaceDoc(data: WorkspaceData, fetchRef: { current: typeof fetch }) {
  const [session] = useState(() => startSession(data, fetchRef));
  const { sync } = session;
  const docState = useStore(session.doc);
  const view = useStore(session.view);
  const snapshot = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  const editable = sync.editable && !view.submitting;

  useEffect(() => {
    sync.start();
    if (session.resend) sync.changed();
    return () => sync.dispose();
  }, [session, sync]);

  // A 409 (or a journal from an older version) whose newer document already holds exactly this page's content
  // (a save that landed just before a reload, or twice) is no conflict: take the server's version and go on.
  const conflict = snapshot.conflict;
  useEffect(() => {
    if (conflict !== null && sameContent(editableOf(conflict.current), session.doc.getState().present)) {
      sync.adopt(conflict.current);
    }
  }, [conflict, session, sync]);

  // Save at once when the annotator leaves the tab or the window; retry when the network is back;
  // warn before leaving while work is not on the server yet.
  useSaveOnLeave(sync, () => UNSAVED_STATUSES.includes(sync.getSnapshot().status) || sync.dirty);

  /** Records an edit: one undo step (or part of the step of the same field being typed). */
  const commit = (next: EditableDoc, field: string | null = null) => {
    if (!editable) return;
    session.doc.dispatch({ type: 'edit', doc: next, field });
    session.view.dispatch({ type: 'edited' });
    sync.changed();
  };

  const step = (type: 'undo' | 'redo') => {
    if (!editable || !session.doc.dispatch({ type })) return;
    const index = parseClueKey(session.view.getState().selectedKey);
    if (index !== null && index >= session.doc.getState().present.clues.length) {
      session.view.dispatch({ type: 'select', key: null });
    }
    sync.changed();
  };

  return {
    session,
    sync,
    snapshot,
    docState,
    doc: docState.present,
    view,
    viewDispatch: session.view.dispatch,
    /** Edits are allowed now (not while submitting). */
    editable,
    commit,
    undo: () => step('undo'),
    redo: () => step('redo'),
    /** 409: merges ours onto the newer version (only the fields changed here), and saves it. */
    reapply: () => {
      const before = session.doc.getState().lastMerge;
      void sync.reapply();
      const plan = session.doc.getState().lastMerge;
      if (plan === null || plan === before) return;
      const parts = [plan.mine.length === 0 ? 'Nothing of yours to re-apply' : `Re-applied your ${fieldList(plan.mine)}`];
      if (plan.collisions.length > 0) parts.push(`changed on both sides, yours kept: ${fieldList(plan.collisions)}`);
      session.view.dispatch({ type: 'hint', text: `${parts.join('; ')}.` });
    },
    /** 409: drops ours for the server's version. */
    discard: () => {
      if (sync.discard()) session.view.dispatch({ type: 'replaced' });
    },
  };
}

export type WorkspaceDoc = ReturnType<typeof useWorkspaceDoc>;
