import { useEffect } from 'react';
import { commandForKey } from './keyboard';
import { selectedCandidate } from './state';
import type { Stage1Page } from './useStage1';

/** The page's keys (see SHORTCUT_HELP): move, play, accept, reject, edit, add, cancel. */
export function useStage1Keys(page: Stage1Page): void {
  const { store, dispatch, accept, openEdit, openNew, openReject, playCandidate, playDraft } = page;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const s = store.getState();
      const command = commandForKey(event, s.form !== null);
      if (command === null) return;
      event.preventDefault();
      const selected = selectedCandidate(s);
      switch (command) {
        case 'next':
          dispatch({ type: 'move', delta: 1 });
          break;
        case 'prev':
          dispatch({ type: 'move', delta: -1 });
          break;
        case 'play':
          if (s.form !== null && s.form.kind !== 'reject') playDraft(s.form.draft);
          else if (selected !== null) playCandidate(selected.id);
          break;
        case 'accept':
          if (selected !== null) accept(selected.id);
          break;
        case 'reject':
          if (selected !== null) openReject(selected.id);
          break;
        case 'edit':
          if (selected !== null) openEdit(selected.id);
          break;
        case 'new':
          openNew();
          break;
        case 'cancel':
          dispatch({ type: 'cancelForm' });
          break;
        case 'blur':
          // Esc in a text field keeps what was typed: it only leaves the field.
          if (event.target instanceof HTMLElement) event.target.blur();
          break;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store, dispatch, accept, openEdit, openNew, openReject, playCandidate, playDraft]);
}
