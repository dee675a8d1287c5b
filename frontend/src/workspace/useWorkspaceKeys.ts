import { useCallback } from 'react';
import { leaveTypingTarget, runPlayerCommand, type KeyLike, type PlayerClock } from '../components';
import { useKeyCommands, useLatest } from '../shared/hooks';
import { commandForKey, type Command } from './keyboard';
import type { ClueCommands } from './useClueCommands';
import type { ProposalCommands } from './useProposalCommands';
import type { WorkspaceDoc } from './useWorkspaceDoc';

/** The workspace's keys (see SHORTCUT_HELP): playback, marking, proposals, history, submit, Escape. */
export function useWorkspaceKeys(
  ws: WorkspaceDoc,
  player: PlayerClock,
  clues: ClueCommands,
  submit: () => Promise<void>,
  proposals: ProposalCommands,
  clickToBox?: { toggle: () => void },
): void {
  const run = (command: Command, target: EventTarget | null) => {
    if (runPlayerCommand(player, command)) return;
    switch (command.type) {
      case 'setRefStart':
        clues.setRefFromPlayer('ref_start');
        break;
      case 'setRefEnd':
        clues.setRefFromPlayer('ref_end');
        break;
      case 'eventStart':
        clues.startEvent();
        break;
      case 'eventEnd':
        clues.endEvent();
        break;
      case 'deleteSelected':
        clues.deleteSelected();
        break;
      case 'undo':
        ws.undo();
        break;
      case 'redo':
        ws.redo();
        break;
      case 'toggleClickToBox':
        clickToBox?.toggle();
        break;
      case 'nextCluster':
        clues.nextCluster();
        break;
      case 'nudgeSelected':
        clues.nudgeSelected(command.dx, command.dy);
        break;
      case 'submit':
        void submit();
        break;
      case 'stepProposal':
        proposals.step(command.direction);
        break;
      case 'acceptProposal':
        proposals.accept();
        break;
      case 'rejectProposal':
        proposals.reject();
        break;
      case 'acceptAllAbove':
        proposals.acceptAll();
        break;
      case 'escape':
        if (!leaveTypingTarget(target)) ws.viewDispatch({ type: 'escape' });
        break;
    }
  };
  const keys = useLatest(proposals.keys);
  const forKey = useCallback((event: KeyLike) => commandForKey(event, keys.current), [keys]);
  useKeyCommands(forKey, run);
}
