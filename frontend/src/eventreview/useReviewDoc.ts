import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { UNSAVED_STATUSES, type SaveStatus } from '../shared/autosave';
import { useSaveOnLeave } from '../shared/hooks';
import { useStore } from '../shared/store';
import { saveEventDoc } from './api';
import { startReview } from './session';
import { isDirty, type ReviewAction } from './state';
import type { EventDoc } from './types';

export interface ReviewDocOptions {
  doc: EventDoc;
  docUrl: string;
  csrf: string;
  fetchRef: { current: typeof fetch };
  /** Goes to another page (next / previous event). */
  go(url: string): void;
}

/**
 * The event being reviewed and its autosave: the session made once, the
 * stores and the saver's snapshot as React state, and what the reviewer does
 * to the document as a whole (edit, undo, save, accept, leave, resolve a 409).
 */
export function useReviewDoc({ doc, docUrl, csrf, fetchRef, go }: ReviewDocOptions) {
  const [session] = useState(() =>
    startReview(doc, (body, options) => saveEventDoc(fetchRef.current, docUrl, csrf, body, options)),
  );
  const { store, sync } = session;
  const state = useStore(store);
  const view = useStore(session.view);
  const snapshot = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  const editable = sync.editable && !snapshot.finishing;
  const viewDispatch = session.view.dispatch;
  const hint = (text: string | null) => viewDispatch({ type: 'hint', text });
  const warnedUnboxed = useRef<string | null>(null);

  useEffect(() => {
    sync.start();
    return () => sync.dispose();
  }, [sync]);

  // Save at once when the reviewer leaves the tab or the window; retry when the network is back;
  // warn before leaving while an editable event's work is not on the server yet.
  useSaveOnLeave(
    sync,
    () => sync.editable && (UNSAVED_STATUSES.includes(sync.getSnapshot().status) || isDirty(store.getState())),
  );

  /** Applies an edit (when editable): the autosave follows. True when the document changed. */
  const apply = (action: ReviewAction): boolean => {
    if (!editable) return false;
    const changed = store.dispatch(action);
    if (changed) {
      sync.changed();
      hint(null);
    }
    return changed;
  };

  const step = (type: 'undo' | 'redo') => {
    if (!editable) return;
    if (store.dispatch({ type })) sync.changed();
  };

  const save = () => {
    if (!sync.editable) return;
    if (snapshot.status === 'conflict') {
      hint('Not saved: choose between the two versions first.');
      return;
    }
    void sync.flush();
  };

  const accept = async () => {
    if (!editable) return;
    // Objects with no box at any second make QA pairs that say they are never seen: said once before accepting.
    const unboxed = store.getState().present.objects.filter((o) => o.boxes.length === 0).map((o) => o.name.trim() || 'an object');
    const key = unboxed.join('\u0000');
    if (unboxed.length > 0 && warnedUnboxed.current !== key) {
      warnedUnboxed.current = key;
      const names = unboxed.length === 1 ? `${unboxed[0]} has` : `${unboxed.slice(0, -1).join(', ')} and ${unboxed.at(-1)} have`;
      hint(`${names} no box at any second: the QA answers will say ${unboxed.length === 1 ? 'it is' : 'they are'} never seen. Accept again to accept anyway.`);
      return;
    }
    hint(null);
    if (await sync.finish()) return;
    const after = sync.getSnapshot();
    const why: Partial<Record<SaveStatus, string>> = {
      conflict: 'the event changed on the server: choose between the two versions first.',
      invalid: 'fix the marked problems first.',
      offline: 'offline. Your changes are kept on this page; accept again when connected.',
      error: after.message ?? 'the server refused.',
    };
    hint(`Not accepted: ${why[after.status] ?? 'the changes could not be saved first.'}`);
  };

  /** Goes to `url` once the changes are saved; `which` names the event in the hint when there is none. */
  const leaveTo = async (url: string | null, which: string) => {
    if (url === null) {
      hint(`There is no ${which} event.`);
      return;
    }
    if (session.view.getState().leaving) return;
    if (sync.editable && (isDirty(store.getState()) || sync.getSnapshot().status !== 'saved')) {
      viewDispatch({ type: 'leaving', leaving: true });
      const saved = await sync.settle();
      viewDispatch({ type: 'leaving', leaving: false });
      if (!saved) {
        hint('Not leaving: the changes are not saved yet.');
        return;
      }
    }
    go(url);
  };

  return {
    session,
    sync,
    snapshot,
    state,
    present: state.present,
    view,
    viewDispatch,
    hint,
    /** Edits are allowed now (not while accepting). */
    editable,
    apply,
    undo: () => step('undo'),
    redo: () => step('redo'),
    save,
    accept,
    leaveTo,
    reapply: () => void sync.reapply(),
    discard: () => {
      if (sync.discard()) viewDispatch({ type: 'select', boxKey: null });
    },
  };
}

export type ReviewDocHandle = ReturnType<typeof useReviewDoc>;
