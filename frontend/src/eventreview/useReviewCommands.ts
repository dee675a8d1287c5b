import { useEffect, useMemo } from 'react';
import type { Box } from '../components';
import { nameInputId } from './ObjectPanel';
import { boxesAt, findBox, findObject } from './reviewDoc';
import type { ReviewDocHandle } from './useReviewDoc';

/**
 * What is shown and selected (the second, its frame and boxes, the object
 * and box selected), and what the reviewer does to them: go to a second,
 * select, draw, move and delete boxes, add, rename and remove objects.
 */
export function useReviewCommands(review: ReviewDocHandle) {
  const { present, view, viewDispatch: dispatch, hint, apply, editable, session } = review;
  const seconds = review.snapshot.server.seconds;

  const current = Math.min(view.secondIndex, Math.max(0, seconds.length - 1));
  const second = seconds[current] ?? null;
  const frame = second?.frame_index ?? null;
  const selectedObject = findObject(present, view.objectChoice) ?? present.objects[0];
  const selectedObjectKey = selectedObject?.key ?? null;
  const selectedBoxOwner = findBox(present, view.boxChoice);
  const selectedBoxKey =
    selectedBoxOwner !== undefined && selectedBoxOwner.box.frame_index === frame ? selectedBoxOwner.box.key : null;
  const items = useMemo(() => (frame === null ? [] : boxesAt(present, frame)), [present, frame]);
  // `r` and a new object: the name field takes the focus once it is rendered.
  const focusNameOf = view.focusName;
  useEffect(() => {
    if (focusNameOf === null) return;
    const input = document.getElementById(nameInputId(focusNameOf));
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
    dispatch({ type: 'focusName', objectKey: null });
  }, [focusNameOf, dispatch]);

  /** The key the last add created (read right after the add). */
  const created = () => session.store.getState().created;

  // Seconds.
  const showSecond = (index: number) => {
    if (seconds.length === 0) return;
    dispatch({ type: 'second', index: Math.min(Math.max(index, 0), seconds.length - 1) });
  };

  // Selection.
  const selectObject = (objectKey: string) => {
    const otherBox = selectedBoxOwner !== undefined && selectedBoxOwner.object.key !== objectKey;
    dispatch({ type: 'select', objectKey, ...(otherBox ? { boxKey: null } : {}) });
  };
  const selectBox = (boxKey: string | null) => {
    const owner = findBox(present, boxKey);
    dispatch({ type: 'select', boxKey, ...(owner === undefined ? {} : { objectKey: owner.object.key }) });
  };
  const goToBox = (boxKey: string) => {
    const owner = findBox(present, boxKey);
    if (owner === undefined) return;
    const index = seconds.findIndex((s) => s.frame_index === owner.box.frame_index);
    dispatch({ type: 'select', boxKey, objectKey: owner.object.key, ...(index >= 0 ? { secondIndex: index } : {}) });
  };
  const cycleBox = (delta: -1 | 1) => {
    if (items.length === 0) {
      hint('No boxes at this second.');
      return;
    }
    const at = items.findIndex((item) => item.box.key === selectedBoxKey);
    const next = at < 0 ? (delta > 0 ? 0 : items.length - 1) : (at + delta + items.length) % items.length;
    selectBox(items[next]!.box.key);
  };

  // Boxes.
  const createBox = (box: Box) => {
    if (!editable || frame === null) return;
    if (selectedObject === undefined) {
      hint('Add an object first (o): every box belongs to an object.');
      return;
    }
    if (apply({ type: 'addBox', objectKey: selectedObject.key, frameIndex: frame, box })) {
      dispatch({ type: 'select', boxKey: created() });
    }
  };
  const changeBox = (boxKey: string, box: Box) => {
    apply({ type: 'changeBox', boxKey, box, at: Date.now() });
  };
  const deleteBox = (boxKey: string) => {
    if (apply({ type: 'deleteBox', boxKey })) dispatch({ type: 'select', boxKey: null });
  };
  const deleteSelectedBox = () => {
    if (!editable) return;
    if (selectedBoxKey === null) {
      hint('Select a box first (click it, or Tab).');
      return;
    }
    deleteBox(selectedBoxKey);
  };

  // Objects.
  const addObject = () => {
    if (apply({ type: 'addObject' })) {
      const key = created();
      dispatch({ type: 'select', objectKey: key, boxKey: null });
      dispatch({ type: 'focusName', objectKey: key });
    }
  };
  const removeObject = (objectKey: string) => {
    if (apply({ type: 'removeObject', objectKey }) && objectKey === selectedObjectKey) {
      dispatch({ type: 'select', objectKey: null, boxKey: null });
    }
  };
  const rename = (objectKey: string, name: string) => apply({ type: 'rename', objectKey, name, at: Date.now() });
  const toggleAudibility = (objectKey: string) => apply({ type: 'toggleAudibility', objectKey });
  const focusName = (objectKey: string) => dispatch({ type: 'focusName', objectKey });

  return {
    seconds,
    current,
    second,
    frame,
    items,
    selectedObject,
    selectedObjectKey,
    selectedBoxKey,
    showSecond,
    selectObject,
    selectBox,
    goToBox,
    cycleBox,
    createBox,
    changeBox,
    deleteBox,
    deleteSelectedBox,
    addObject,
    removeObject,
    rename,
    toggleAudibility,
    focusName,
  };
}

export type ReviewCommands = ReturnType<typeof useReviewCommands>;
