import { isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike as BaseKeyLike, type ShortcutHelpItem } from '../components';

export type Command = 'next' | 'prev' | 'accept' | 'reject' | 'edit' | 'new' | 'play' | 'cancel' | 'blur';

/** The parts of a KeyboardEvent the mapping looks at (Shift is not one of them). */
export type KeyLike = Omit<BaseKeyLike, 'shiftKey'>;

/** Elements whose own handling of Space / arrows must win (buttons, links, media controls). */
function ownsNavigationKeys(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) {
    return false;
  }
  return ['BUTTON', 'A', 'VIDEO', 'AUDIO', 'SUMMARY'].includes(target.tagName);
}

const LETTERS: Record<string, Command> = {
  j: 'next',
  k: 'prev',
  a: 'accept',
  r: 'reject',
  e: 'edit',
  n: 'new',
  p: 'play',
};

/**
 * The page command for a key press, or null to leave the key alone.
 * While typing only Esc counts (Enter is the forms' own business); while a
 * form is open only Esc and play do, so a stray key never discards typing.
 * Esc in a text field only leaves the field ('blur'); a second Esc cancels.
 */
export function commandForKey(event: KeyLike, formOpen: boolean): Command | null {
  if (event.isComposing === true) {
    return null;
  }
  if (isEscape(event)) {
    if (isTypingTarget(event.target)) {
      return 'blur';
    }
    return formOpen ? 'cancel' : null;
  }
  if (withCommandKey(event) || event.altKey || isTypingTarget(event.target)) {
    return null;
  }
  let command: Command | null;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.key === ' ') {
    if (ownsNavigationKeys(event.target)) {
      return null;
    }
    command = event.key === 'ArrowDown' ? 'next' : event.key === 'ArrowUp' ? 'prev' : 'play';
  } else {
    command = LETTERS[keyName(event)] ?? null;
  }
  if (formOpen && command !== 'play') {
    return null;
  }
  return command;
}

export const SHORTCUT_HELP: readonly ShortcutHelpItem[] = [
  ['j / ↓', 'next'],
  ['k / ↑', 'previous'],
  ['p / Space', 'play interval'],
  ['a', 'accept'],
  ['r', 'reject'],
  ['e', 'edit'],
  ['n', 'new question'],
  ['Enter', 'confirm'],
  ['Esc', 'cancel'],
];
