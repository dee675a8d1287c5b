import {
  activatesOnSpace, historyKey, isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike, type PlayerCommand,
  type ShortcutHelpItem,
} from '../components';

export type Command =
  | PlayerCommand
  | { type: 'setRefStart' }
  | { type: 'setRefEnd' }
  | { type: 'eventStart' }
  | { type: 'eventEnd' }
  | { type: 'deleteSelected' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'nextCluster' }
  /** Alt+arrows: move the selected box (by frame pixels). */
  | { type: 'nudgeSelected'; dx: number; dy: number }
  | { type: 'submit' }
  | { type: 'escape' }
  | { type: 'stepProposal'; direction: 1 | -1 }
  | { type: 'acceptProposal' }
  | { type: 'rejectProposal' }
  | { type: 'acceptAllAbove' }
  /** c: arm or disarm click-to-box (box questions, when the server offers it). */
  | { type: 'toggleClickToBox' };

/** What the proposal keys depend on: whether there are open proposals, and whether one is selected. */
export interface ProposalKeys {
  open: boolean;
  selected: boolean;
}

const NO_PROPOSALS: ProposalKeys = { open: false, selected: false };

const LETTERS: Record<string, Command> = {
  ',': { type: 'frameStep', delta: -1 },
  '.': { type: 'frameStep', delta: 1 },
  '[': { type: 'setRefStart' },
  ']': { type: 'setRefEnd' },
  i: { type: 'eventStart' },
  o: { type: 'eventEnd' },
  n: { type: 'nextCluster' },
  c: { type: 'toggleClickToBox' },
};

const NUDGE_ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The workspace command for a key press, or null to leave the key alone.
 * While typing in a field only Escape counts, so the field keeps its own
 * undo, arrows and Enter.
 */
export function commandForKey(event: KeyLike, proposals: ProposalKeys = NO_PROPOSALS): Command | null {
  if (event.isComposing === true) return null;
  if (isEscape(event)) return { type: 'escape' };
  if (isTypingTarget(event.target)) return null;
  // A box moves by key only with Alt (Shift: 10 px); plain and Shift+arrows always seek.
  if (event.altKey) {
    const arrow = withCommandKey(event) ? undefined : NUDGE_ARROWS[keyName(event)];
    if (arrow === undefined) return null;
    const step = event.shiftKey ? 10 : 1;
    return { type: 'nudgeSelected', dx: arrow[0] * step + 0, dy: arrow[1] * step + 0 };
  }
  const key = keyName(event);
  const plain = !withCommandKey(event);
  // Proposals: Tab / Shift+Tab move between them (Tab keeps moving the focus when there are none), Enter
  // accepts the selected one (unless a button has the focus), x rejects it, Shift+A accepts all in view.
  if (plain && key === 'Tab' && proposals.open) return { type: 'stepProposal', direction: event.shiftKey ? -1 : 1 };
  if (plain && key === 'Enter' && proposals.selected && !event.shiftKey && !activatesOnSpace(event.target)) {
    return { type: 'acceptProposal' };
  }
  if (plain && key === 'x' && !event.shiftKey && proposals.selected) return { type: 'rejectProposal' };
  if (plain && key === 'a' && event.shiftKey && proposals.open) return { type: 'acceptAllAbove' };
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
  ['← / →', 'seek ∓1 s (Shift: 5 s), also with a box selected'],
  ['Alt+arrows', 'move the selected box 1 px (Alt+Shift: 10 px)'],
  ['[ / ]', 'reference start / end here'],
  ['i / o', 'event start / end here'],
  ['n', 'next cluster (the first: makes cluster 1)'],
  ['Del', 'delete selected clue'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Tab / Shift+Tab', 'next / previous proposal'],
  ['Enter / x', 'accept / reject the selected proposal'],
  ['Shift+A', 'accept every proposal in view above the threshold'],
  ['c', 'click-to-box on / off (a click on an object gives its box)'],
  ['Ctrl+Enter', 'submit'],
  ['Esc', 'leave a field, clear the selection'],
];
