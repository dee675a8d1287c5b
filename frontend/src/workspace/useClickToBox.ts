import { useState } from 'react';
import { runJob } from '../shared/jobs';
import type { BoxProposal, WorkspaceData } from './types';

/**
 * Click-to-box in the workspace: armed with `c` (or the button), a click on the exact frame asks the server for
 * the box of the object under it (a job on the gpu queue); the answer is a proposal that the page accepts at once
 * (the click was the person's decision), to adjust by its handles. Available when the server offers it (a
 * segmentation model is set up) and the question is a box question.
 */
export function useClickToBox(
  urls: WorkspaceData['urls'],
  csrf: string,
  fetchRef: { current: typeof fetch },
  frame: number,
  onBox: (proposal: BoxProposal) => void,
  hint: (text: string) => void,
  /** The question is an object or attribute one now (its category may change on the page). */
  boxQuestion = true,
  /** Why the server does not offer it (no segmentation model set up): said when c is pressed. */
  missing = '',
) {
  const available = boxQuestion && urls.click_box !== undefined && urls.job !== undefined;
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);

  const toggle = () => {
    if (!available) {
      if (boxQuestion) hint(`Click-to-box is not set up on this server${missing ? `: ${missing}` : ''}. Drag to draw a box.`);
      return;
    }
    // The hint is said here, not inside the state update: an updater must not update another component.
    hint(armed ? 'Click-to-box off: drag to draw a box.' : 'Click-to-box on: click an object on the frame (c: off).');
    setArmed(!armed);
  };

  const click = async (point: { x: number; y: number }) => {
    if (!available || busy || urls.click_box === undefined || urls.job === undefined) return;
    setBusy(true);
    const at = { frame_index: frame, x: Math.round(point.x * 10) / 10, y: Math.round(point.y * 10) / 10 };
    const outcome = await runJob(fetchRef.current, urls.click_box, csrf, at, urls.job);
    setBusy(false);
    if (outcome.kind === 'error') {
      hint(`No box: ${outcome.message}`);
      return;
    }
    const proposal = outcome.result.proposal as BoxProposal | null | undefined;
    if (proposal === null || proposal === undefined) {
      hint('No object found under that point; click elsewhere or drag to draw.');
      return;
    }
    onBox(proposal);
  };

  return { available, armed, busy, toggle, click };
}

export type ClickToBox = ReturnType<typeof useClickToBox>;
