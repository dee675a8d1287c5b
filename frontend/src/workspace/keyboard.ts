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

/** The parts of a KeyboardEvent the mapping looks at. */
export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
  target: EventTarget | null;
}

/** True when keys typed at `target` are text (inputs, textareas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes((target as HTMLInputElement).type);
  }
  return (target as HTMLElement).isContentEditable === true;
}

/** Elements that Space activates themselves: the shortcut must not run as well. */
function activatesOnSpace(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (['BUTTON', 'A', 'SUMMARY', 'VIDEO', 'AUDIO'].includes(target.tagName)) return true;
  return target.tagName === 'INPUT' && ['button', 'submit', 'reset', 'checkbox', 'radio'].includes((target as HTMLInputElement).type);
}

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
  if (event.key === 'Escape' || event.key === 'Esc') return { type: 'escape' };
  if (event.altKey || isTypingTarget(event.target)) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (event.ctrlKey || event.metaKey) {
    if (key === 'z') return event.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (key === 'y' && event.ctrlKey) return { type: 'redo' };
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

export const SHORTCUT_HELP: readonly [keys: string, what: string][] = [
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

/**
 * Spread on a button: clicking it leaves the focus where it was, so a focused
 * button never takes the next shortcut key (Space, i, o ...) for itself.
 */
export const KEEP_FOCUS = { onMouseDown: (event: { preventDefault(): void }) => event.preventDefault() };
