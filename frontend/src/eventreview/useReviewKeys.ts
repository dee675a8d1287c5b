import { useCallback } from 'react';
import { leaveTypingTarget, type KeyLike } from '../components';
import { useKeyCommands, useLatest } from '../shared/hooks';
import { commandForKey, type Command } from './keyboard';
import type { ReviewAssist } from './useReviewAssist';
import type { ReviewCommands } from './useReviewCommands';
import type { ReviewDocHandle } from './useReviewDoc';

/** The review's keys (see SHORTCUT_HELP): seconds, objects, boxes, history, save, accept, next / previous event. */
export function useReviewKeys(review: ReviewDocHandle, commands: ReviewCommands, assist?: ReviewAssist): void {
  const { present, editable, snapshot } = review;
  const { selectedObject, current, seconds } = commands;
  const run = (command: Command, target: EventTarget | null) => {
    switch (command.type) {
      case 'second':
        commands.showSecond(current + command.delta);
        break;
      case 'firstSecond':
        commands.showSecond(0);
        break;
      case 'lastSecond':
        commands.showSecond(seconds.length - 1);
        break;
      case 'selectObject': {
        const object = present.objects[command.index];
        if (object === undefined) review.hint(`There is no object ${command.index + 1}.`);
        else commands.selectObject(object.key);
        break;
      }
      case 'cycleBox':
        commands.cycleBox(command.delta);
        break;
      case 'deleteBox':
        commands.deleteSelectedBox();
        break;
      case 'toggleAudibility':
        if (selectedObject !== undefined) commands.toggleAudibility(selectedObject.key);
        break;
      case 'rename':
        if (editable && selectedObject !== undefined) commands.focusName(selectedObject.key);
        break;
      case 'addObject':
        commands.addObject();
        break;
      case 'nextEvent':
        void review.leaveTo(snapshot.server.next_url, 'next');
        break;
      case 'prevEvent':
        void review.leaveTo(snapshot.server.prev_url, 'previous');
        break;
      case 'undo':
        review.undo();
        break;
      case 'redo':
        review.redo();
        break;
      case 'save':
        review.save();
        break;
      case 'accept':
        void review.accept();
        break;
      case 'toggleClickToBox':
        assist?.toggle();
        break;
      case 'track':
        assist?.track();
        break;
      case 'confirmTracked':
        assist?.confirm();
        break;
      case 'dropTracked':
        assist?.drop();
        break;
      case 'escape':
        if (!leaveTypingTarget(target)) review.viewDispatch({ type: 'escape' });
        break;
    }
  };
  const tracked = useLatest(assist?.here !== null && assist?.here !== undefined);
  const forKey = useCallback((event: KeyLike) => commandForKey(event, tracked.current), [tracked]);
  useKeyCommands(forKey, run);
}
