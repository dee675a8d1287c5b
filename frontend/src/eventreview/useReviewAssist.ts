import { useState } from 'react';
import { runJob } from '../shared/jobs';
import { findBox, findObject } from './reviewDoc';
import { nextPending, pendingFrom, type TrackedBox } from './tracking';
import type { AssistUrls } from './types';
import type { ReviewCommands } from './useReviewCommands';
import type { ReviewDocHandle } from './useReviewDoc';

/** The model a click or track job names in its answer ('' when it names none). */
const modelOf = (result: Record<string, unknown>): string => (typeof result.model === 'string' ? result.model : '');

/**
 * Click-to-box and tracking on the review page. `c` arms click-to-box: a click on the frame asks for the box of
 * the object under it (gpu queue) and adds it to the selected object, to adjust. `t` follows the selected box
 * through the event's other seconds: each answer is a dashed box on its second that Enter confirms (it becomes the
 * object's box and the page goes to the next one) and x drops. Nothing is saved until the reviewer saves.
 */
export function useReviewAssist(
  review: ReviewDocHandle,
  commands: ReviewCommands,
  urls: AssistUrls | undefined,
  csrf: string,
  fetchRef: { current: typeof fetch },
  /** Why click-to-box and tracking are not offered (no segmentation model): said when c or t is pressed. */
  missing?: string,
) {
  const { present, editable, apply, hint, viewDispatch: dispatch } = review;
  const notSetUp = (what: string) =>
    hint(`${what} is not set up on this server${missing ? `: ${missing}` : ''}. Drag to draw boxes.`);
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [pending, setPending] = useState<TrackedBox[]>([]);
  const available = urls !== undefined && editable;

  const toggle = () => {
    if (urls === undefined && editable) notSetUp('Click-to-box');
    if (!available) return;
    hint(armed ? 'Click-to-box off: drag to draw a box.' : 'Click-to-box on: click an object on the frame (c: off).');
    setArmed(!armed);
  };

  const click = async (point: { x: number; y: number }) => {
    const object = commands.selectedObject;
    if (urls === undefined || busy !== null || commands.frame === null) return;
    if (object === undefined) {
      hint('Add an object first (o): every box belongs to an object.');
      return;
    }
    setBusy('finding the box…');
    const frame = commands.frame;
    const outcome = await runJob(fetchRef.current, urls.click_box, csrf,
      { frame_index: frame, x: Math.round(point.x * 10) / 10, y: Math.round(point.y * 10) / 10 }, urls.job);
    setBusy(null);
    if (outcome.kind === 'error') {
      hint(`No box: ${outcome.message}`);
      return;
    }
    const box = outcome.result.box;
    if (!Array.isArray(box) || box.length !== 4) {
      hint('No object found under that point; click elsewhere or drag to draw.');
      return;
    }
    const [x1, y1, x2, y2] = box.map(Number) as [number, number, number, number];
    const origin = { job: outcome.job, model: modelOf(outcome.result) };
    if (apply({ type: 'addBox', objectKey: object.key, frameIndex: frame, box: { x1, y1, x2, y2 }, origin })) {
      dispatch({ type: 'select', boxKey: review.session.store.getState().created });
      hint(`Box of ${object.name.trim() || 'the object'} from your click: adjust it if needed (t: follow it).`);
    }
  };

  const track = async () => {
    if (urls === undefined && editable) notSetUp('Tracking');
    if (urls === undefined || busy !== null) return;
    const owner = findBox(present, commands.selectedBoxKey);
    if (owner === undefined) {
      hint('Select a box first (click it, or Tab): t follows it through the other seconds.');
      return;
    }
    setBusy('following the box…');
    const { box, object } = owner;
    const outcome = await runJob(fetchRef.current, urls.track, csrf,
      { frame_index: box.frame_index, box: [box.x1, box.y1, box.x2, box.y2] }, urls.job);
    setBusy(null);
    if (outcome.kind === 'error') {
      hint(`No tracking: ${outcome.message}`);
      return;
    }
    const origin = { job: outcome.job, model: modelOf(outcome.result) };
    const found = pendingFrom(outcome.result, object.key, review.session.store.getState().present, origin);
    setPending(found);
    if (found.length === 0) {
      hint('The object was not found at any other second without a box.');
      return;
    }
    hint(`${found.length} tracked box${found.length === 1 ? '' : 'es'} to confirm: Enter keeps, x drops.`);
    goTo(found[0]!);
  };

  const goTo = (p: TrackedBox) => {
    const index = commands.seconds.findIndex((s) => s.frame_index === p.frame_index);
    if (index >= 0) commands.showSecond(index);
  };

  const here = commands.frame === null ? undefined : pending.find((p) => p.frame_index === commands.frame);

  const decide = (keep: boolean) => {
    if (here === undefined) return false;
    if (keep && findObject(present, here.objectKey) !== undefined) {
      const [x1, y1, x2, y2] = here.box;
      apply({ type: 'addBox', objectKey: here.objectKey, frameIndex: here.frame_index, box: { x1, y1, x2, y2 }, origin: here.origin });
    }
    const next = nextPending(pending, here.frame_index);
    setPending(pending.filter((p) => p.frame_index !== here.frame_index));
    if (next !== null) goTo(next);
    else hint(keep ? 'Every tracked box is decided.' : 'Dropped; every tracked box is decided.');
    return true;
  };

  return {
    available,
    armed,
    busy,
    pending,
    here: here ?? null,
    toggle,
    click,
    track: () => void track(),
    confirm: () => decide(true),
    drop: () => decide(false),
  };
}

export type ReviewAssist = ReturnType<typeof useReviewAssist>;
