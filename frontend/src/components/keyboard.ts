/**
 * The generic parts of the islands' keyboard maps: what a key press looks
 * like to a mapping, where typed keys are text, and the common key checks.
 * Each island keeps its own map of keys to its commands.
 */

/** The parts of a KeyboardEvent the mappings look at. */
export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
  target: EventTarget | null;
}

const BUTTON_INPUTS: readonly string[] = ['button', 'submit', 'reset', 'checkbox', 'radio'];

/** True when keys typed at `target` are text (inputs, textareas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !BUTTON_INPUTS.includes((target as HTMLInputElement).type);
  return (target as HTMLElement).isContentEditable === true;
}

/** Escape in a text field leaves the field: true when `target` was one (it has lost the focus now). */
export function leaveTypingTarget(target: EventTarget | null): boolean {
  if (!isTypingTarget(target) || !(target instanceof HTMLElement)) return false;
  target.blur();
  return true;
}

/** Elements that Space activates themselves (buttons, links, media...): a shortcut must not run as well. */
export function activatesOnSpace(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (['BUTTON', 'A', 'SUMMARY', 'VIDEO', 'AUDIO'].includes(target.tagName)) return true;
  return target.tagName === 'INPUT' && BUTTON_INPUTS.includes((target as HTMLInputElement).type);
}

/** Escape (or the old "Esc"). */
export const isEscape = (event: Pick<KeyLike, 'key'>): boolean => event.key === 'Escape' || event.key === 'Esc';

/** Ctrl, or Cmd on a Mac. */
export const withCommandKey = (event: Pick<KeyLike, 'ctrlKey' | 'metaKey'>): boolean => event.ctrlKey || event.metaKey;

/** The key's name to match on: a letter in lower case (Shift or Caps Lock aside), other keys as they are. */
export const keyName = (event: Pick<KeyLike, 'key'>): string =>
  event.key.length === 1 ? event.key.toLowerCase() : event.key;

/** Ctrl+Z undo; Ctrl+Shift+Z and Ctrl+Y redo (Cmd in place of Ctrl, but for Y); null for any other key. */
export function historyKey(event: Omit<KeyLike, 'target'>): 'undo' | 'redo' | null {
  if (!withCommandKey(event)) return null;
  const key = keyName(event);
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && event.ctrlKey) return 'redo';
  return null;
}

/**
 * Spread on a button: clicking it leaves the focus where it was, so a focused
 * button never takes the next shortcut key (Space, i, o ...) for itself.
 */
export const KEEP_FOCUS = { onMouseDown: (event: { preventDefault(): void }) => event.preventDefault() };

/** One line of a page's key help: the keys, and what they do. */
export type ShortcutHelpItem = readonly [keys: string, what: string];
