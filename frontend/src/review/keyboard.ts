import {
  activatesOnSpace, isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike, type PlayerCommand, type ShortcutHelpItem,
} from '../components';

/** The media keys of the review page (the decision keys are decisionKeys.ts's). */
export type Command =
  | PlayerCommand
  /** Next / previous clue (question) or sampled second (event). */
  | { type: 'step'; direction: 1 | -1 }
  | { type: 'escape' };

/** Keys a plain press of which is a decision's: never the media's. */
function plainKey(event: KeyLike): string | null {
  if (event.isComposing === true || event.altKey || withCommandKey(event)) return null;
  return keyName(event);
}

/**
 * The command for a key press on a question's review, or null to leave the
 * key alone. While typing in a field (the decision's comment) only Escape
 * counts.
 */
export function questionCommandForKey(event: KeyLike): Command | null {
  if (isEscape(event)) return { type: 'escape' };
  if (isTypingTarget(event.target)) return null;
  switch (plainKey(event)) {
    case ' ':
      return activatesOnSpace(event.target) ? null : { type: 'togglePlay' };
    case 'ArrowLeft':
      return { type: 'seekBy', seconds: event.shiftKey ? -5 : -1 };
    case 'ArrowRight':
      return { type: 'seekBy', seconds: event.shiftKey ? 5 : 1 };
    case ',':
      return { type: 'frameStep', delta: -1 };
    case '.':
      return { type: 'frameStep', delta: 1 };
    case 'n':
      return event.shiftKey ? null : { type: 'step', direction: 1 };
    case 'p':
      return event.shiftKey ? null : { type: 'step', direction: -1 };
    default:
      return null;
  }
}

/** The command for a key press on an event's audit: arrows (or n / p) go through the sampled seconds. */
export function eventCommandForKey(event: KeyLike): Command | null {
  if (isEscape(event)) return { type: 'escape' };
  if (isTypingTarget(event.target)) return null;
  switch (plainKey(event)) {
    case 'ArrowLeft':
    case 'p':
      return event.shiftKey ? null : { type: 'step', direction: -1 };
    case 'ArrowRight':
    case 'n':
      return event.shiftKey ? null : { type: 'step', direction: 1 };
    default:
      return null;
  }
}

const PLAYBACK_HELP: readonly ShortcutHelpItem[] = [
  ['Space', 'play / pause'],
  [', / .', 'frame back / forward'],
  ['← / →', 'seek ∓1 s (Shift: 5 s)'],
];

/** The media keys of a question's review; the clue keys only where there are clues to go to. */
export const questionHelp = (withClues: boolean): readonly ShortcutHelpItem[] =>
  withClues ? [...PLAYBACK_HELP, ['n / p', 'next / previous clue']] : PLAYBACK_HELP;

export const EVENT_HELP: readonly ShortcutHelpItem[] = [
  ['← / →', 'previous / next second (also p / n)'],
  ['Esc', 'clear the selection'],
];
