import { activatesOnSpace, historyKey, isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike, type ShortcutHelpItem } from '../components';

export type Command =
  | { type: 'second'; delta: -1 | 1 }
  | { type: 'firstSecond' }
  | { type: 'lastSecond' }
  /** 0-based. */
  | { type: 'selectObject'; index: number }
  | { type: 'cycleBox'; delta: -1 | 1 }
  | { type: 'deleteBox' }
  | { type: 'toggleAudibility' }
  | { type: 'rename' }
  | { type: 'addObject' }
  | { type: 'nextEvent' }
  | { type: 'prevEvent' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'save' }
  | { type: 'accept' }
  | { type: 'escape' }
  /** c: click-to-box on / off; t: follow the selected box; Enter / x: keep / drop the tracked box shown. */
  | { type: 'toggleClickToBox' }
  | { type: 'track' }
  | { type: 'confirmTracked' }
  | { type: 'dropTracked' };

const LETTERS: Record<string, Command> = {
  ',': { type: 'second', delta: -1 },
  '.': { type: 'second', delta: 1 },
  a: { type: 'toggleAudibility' },
  r: { type: 'rename' },
  o: { type: 'addObject' },
  n: { type: 'nextEvent' },
  p: { type: 'prevEvent' },
  c: { type: 'toggleClickToBox' },
  t: { type: 'track' },
};

/**
 * The review command for a key press, or null to leave the key alone. While
 * typing in a field only Escape (leave the field) and Ctrl+S (save) count,
 * so the field keeps its own letters, undo, arrows, Tab and Enter.
 */
export function commandForKey(event: KeyLike, tracked = false): Command | null {
  if (event.isComposing === true) return null;
  if (isEscape(event)) return { type: 'escape' };
  if (event.altKey) return null;
  const key = keyName(event);
  const ctrl = withCommandKey(event);
  if (ctrl && key === 's') return { type: 'save' };
  if (isTypingTarget(event.target)) return null;
  if (ctrl) {
    const history = historyKey(event);
    if (history !== null) return { type: history };
    if (key === 'Enter') return { type: 'accept' };
    return null;
  }
  switch (key) {
    case 'ArrowLeft':
      return { type: 'second', delta: -1 };
    case 'ArrowRight':
      return { type: 'second', delta: 1 };
    case 'Home':
      return { type: 'firstSecond' };
    case 'End':
      return { type: 'lastSecond' };
    case 'Enter':
      // Only while a tracked box is shown; a focused button or link keeps its Enter.
      return tracked && !event.shiftKey && !activatesOnSpace(event.target) ? { type: 'confirmTracked' } : null;
    case 'x':
      return tracked && !event.shiftKey ? { type: 'dropTracked' } : null;
    case 'Tab':
      return { type: 'cycleBox', delta: event.shiftKey ? -1 : 1 };
    case 'Delete':
    case 'Backspace':
      return { type: 'deleteBox' };
    default:
      if (/^[1-9]$/.test(key)) return { type: 'selectObject', index: Number(key) - 1 };
      return LETTERS[key] ?? null;
  }
}

export const SHORTCUT_HELP: readonly ShortcutHelpItem[] = [
  [', / .  or  ← / →', 'previous / next second'],
  ['Home / End', 'first / last second'],
  ['1 … 9', 'select object'],
  ['Tab / Shift+Tab', 'next / previous box of this second'],
  ['Del', 'delete the selected box'],
  ['drag', 'draw a box for the selected object'],
  ['a', 'audible ↔ visible only'],
  ['r', 'rename the selected object'],
  ['o', 'add an object'],
  ['c', 'click-to-box on / off (a click on an object gives its box)'],
  ['t', 'follow the selected box through the other seconds'],
  ['Enter / x', 'keep / drop the tracked box of this second'],
  ['n / p', 'next / previous event'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Ctrl+S', 'save'],
  ['Ctrl+Enter', 'accept the event'],
  ['Esc', 'leave a field, clear the box selection'],
];
