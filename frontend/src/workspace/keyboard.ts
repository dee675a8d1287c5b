import { activatesOnSpace, historyKey, isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike, type ShortcutHelpItem } from '../components';

export type Command =
  | { type: 'togglePlay' }
  | { type: 'frameStep'; delta: -1 | 1 }
  | { type: 'seekBy'; seconds: number }
  | { type: 'setRefStart' }
  | { type: 'setRefEnd' }
  | { type: 'eventStart' }
  | { type: 'eventEnd' }
  | { type: 'deleteSelected' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'nextCluster' }
  | { type: 'submit' }
  | { type: 'escape' };

const LETTERS: Record<string, Command> = {
  ',': { type: 'frameStep', delta: -1 },
  '.': { type: 'frameStep', delta: 1 },
  '[': { type: 'setRefStart' },
  ']': { type: 'setRefEnd' },
  i: { type: 'eventStart' },
  o: { type: 'eventEnd' },
  n: { type: 'nextCluster' },
};

/**
 * The workspace command for a key press, or null to leave the key alone.
 * While typing in a field only Escape counts, so the field keeps its own
 * undo, arrows and Enter.
 */
export function commandForKey(event: KeyLike): Command | null {
  if (event.isComposing === true) return null;
  if (isEscape(event)) return { type: 'escape' };
  if (event.altKey || isTypingTarget(event.target)) return null;
  const key = keyName(event);
  if (withCommandKey(event)) {
    const history = historyKey(event);
    if (history !== null) return { type: history };
    if (key === 'Enter') return { type: 'submit' };
    return null;
  }
  switch (key) {
    case ' ':
      return activatesOnSpace(event.target) ? null : { type: 'togglePlay' };
    case 'ArrowLeft':
      return { type: 'seekBy', seconds: event.shiftKey ? -5 : -1 };
    case 'ArrowRight':
      return { type: 'seekBy', seconds: event.shiftKey ? 5 : 1 };
    case 'Delete':
    case 'Backspace':
      return { type: 'deleteSelected' };
    default:
      return LETTERS[key] ?? null;
  }
}

export const SHORTCUT_HELP: readonly ShortcutHelpItem[] = [
  ['Space', 'play / pause'],
  [', / .', 'frame back / forward'],
  ['← / →', '∓1 s (Shift: 5 s)'],
  ['[ / ]', 'reference start / end here'],
  ['i / o', 'event start / end here'],
  ['n', 'next cluster'],
  ['Del', 'delete selected clue'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Ctrl+Enter', 'submit'],
  ['Esc', 'leave a field, clear the selection'],
];
