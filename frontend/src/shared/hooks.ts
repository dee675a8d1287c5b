import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { SaveOptions } from './http';

/** A ref that holds `value` as of the latest render: for listeners that are registered once. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Runs the command a key press on the page maps to (`commandForKey`, null:
 * none), unless another handler took the key first; the page's own handling
 * of a mapped key is prevented. `run` is the one of the latest render.
 */
export function useKeyCommands<C>(
  commandForKey: (event: KeyboardEvent) => C | null,
  run: (command: C, target: EventTarget | null) => void,
): void {
  const runRef = useLatest(run);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const command = commandForKey(event);
      if (command === null) return;
      event.preventDefault();
      runRef.current(command, event.target);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [commandForKey, runRef]);
}

/** What `useSaveOnLeave` needs of an autosaver. */
export interface LeavingSaver {
  flush(options?: SaveOptions): Promise<boolean>;
  online(): void;
}

/**
 * Saves at once when the user leaves the tab or the window (a save that
 * outlives the page on `pagehide`), retries when the network is back, and
 * warns before the page is left while `unsaved()` (that of the latest render).
 */
export function useSaveOnLeave(saver: LeavingSaver, unsaved: () => boolean): void {
  const unsavedRef = useLatest(unsaved);
  useEffect(() => {
    const flush = () => void saver.flush();
    // The page is going away: the request must outlive it.
    const onPageHide = () => void saver.flush({ keepalive: true });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    const onOnline = () => saver.online();
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!unsavedRef.current()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('blur', flush);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('online', onOnline);
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('blur', flush);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [saver, unsavedRef]);
}
