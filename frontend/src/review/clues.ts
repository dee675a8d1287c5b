/** What the review page draws of a question's clues, read-only (pure): list entries, timeline regions, canvas boxes. */
import { formatInterval, formatTime, paletteColor, timeOfFrame, type CanvasBox, type TimelineRegion } from '../components';
import type { BoxClue, Clue, ReviewQuestion } from './types';

/** The reference interval on the timeline. */
export const REF_COLOR = '#808080';
/** Object boxes on the frame, as the workspace draws them. */
export const OBJECT_COLOR = '#ffe119';
/** Object clues' markers on the timeline (the canvas's yellow does not read on the light waveform). */
export const OBJECT_MARKER_COLOR = '#c28f00';

/** One clue as the page lists it: where it is, how it is drawn, where clicking it goes. */
export interface ClueItem {
  /** "clue-<i>", i its index in the question's clues (the key of its region and box too). */
  key: string;
  kind: Clue['kind'];
  /** "#n" within its kind (events, objects), or the attribute's cluster name. */
  label: string;
  /** Where it is, in words: the interval, or the frame and its time. */
  where: string;
  color: string;
  /** Seconds to seek to: an event's start, a box's mid-frame time. */
  time: number;
  /** An event's end; a box's time again. */
  end: number;
  /** The frame of a box; null for an event. */
  frame: number | null;
}

export const clueKey = (index: number): string => `clue-${index}`;

const isBox = (clue: Clue): clue is BoxClue => clue.kind !== 'event';

/** The colour of each attribute cluster, by name. */
export const clusterColors = (question: Pick<ReviewQuestion, 'clusters'>): Map<string, string> =>
  new Map(question.clusters.map((c) => [c.name, c.color]));

function boxColor(clue: BoxClue, colors: ReadonlyMap<string, string>): string {
  return clue.kind === 'attribute' ? (colors.get(clue.cluster) ?? OBJECT_COLOR) : OBJECT_COLOR;
}

/** The clues in the question's order, each numbered within its kind (attribute boxes named by their cluster). */
export function clueItems(question: Pick<ReviewQuestion, 'clues' | 'clusters'>, fps: number): ClueItem[] {
  const colors = clusterColors(question);
  const numbers = { event: 0, object: 0, attribute: 0 };
  return question.clues.map((clue, index) => {
    numbers[clue.kind] += 1;
    const n = numbers[clue.kind];
    if (!isBox(clue)) {
      return {
        key: clueKey(index),
        kind: clue.kind,
        label: `#${n}`,
        where: `${formatInterval(clue.start, clue.end)} (${(clue.end - clue.start).toFixed(2)} s)`,
        color: paletteColor(n - 1),
        time: clue.start,
        end: clue.end,
        frame: null,
      };
    }
    const time = timeOfFrame(clue.frame_index, fps);
    return {
      key: clueKey(index),
      kind: clue.kind,
      label: clue.kind === 'attribute' ? clue.cluster || '(no cluster)' : `#${n}`,
      where: `frame ${clue.frame_index} · ${formatTime(time)}`,
      color: boxColor(clue, colors),
      time,
      end: time,
      frame: clue.frame_index,
    };
  });
}

/** How many boxes each cluster has, in the clusters' order (an empty cluster counts 0). */
export function clusterCounts(question: Pick<ReviewQuestion, 'clues' | 'clusters'>): { name: string; color: string; count: number }[] {
  return question.clusters.map((c) => ({
    name: c.name,
    color: c.color,
    count: question.clues.filter((clue) => clue.kind === 'attribute' && clue.cluster === c.name).length,
  }));
}

/**
 * The timeline's regions, none editable: the reference interval, each event
 * clue, and a marker at the frame of each box clue (so the boxes can be found
 * on the timeline too).
 */
export function timelineRegions(question: Pick<ReviewQuestion, 'ref_start' | 'ref_end'>, items: readonly ClueItem[]): TimelineRegion[] {
  const regions: TimelineRegion[] = [];
  const { ref_start: start, ref_end: end } = question;
  if (start !== null && end !== null && start < end) {
    regions.push({ key: 'ref', start, end, color: REF_COLOR, label: 'reference', editable: false });
  }
  for (const item of items) {
    const color = item.kind === 'object' ? OBJECT_MARKER_COLOR : item.color;
    regions.push({ key: item.key, start: item.time, end: item.end, color, label: item.label, editable: false });
  }
  return regions;
}

/** The boxes of frame `frame` as the canvas draws them (objects numbered, attribute boxes in their cluster's colour). */
export function boxesOnFrame(question: Pick<ReviewQuestion, 'clues'>, items: readonly ClueItem[], frame: number): CanvasBox[] {
  const boxes: CanvasBox[] = [];
  question.clues.forEach((clue, index) => {
    const item = items[index];
    if (!isBox(clue) || clue.frame_index !== frame || item === undefined) return;
    boxes.push({ key: item.key, x1: clue.x1, y1: clue.y1, x2: clue.x2, y2: clue.y2, color: item.color, label: item.label });
  });
  return boxes;
}

/**
 * The clue `direction` steps to, in time order (clues at the same time in
 * list order): from the selected clue while the player is still at it, else
 * the first clue after the position `time` (seconds), or the last before it
 * going back; null when there is none that way.
 */
export function stepClue(
  items: readonly ClueItem[],
  at: { time: number; selectedKey: string | null },
  direction: 1 | -1,
  fps: number,
): ClueItem | null {
  // Half a frame of slack: a box's clue is at its mid-frame time, where a seek to it lands.
  const slack = fps > 0 ? 0.5 / fps : 1e-3;
  const ordered = items.map((item, i) => ({ item, i })).sort((a, b) => a.item.time - b.item.time || a.i - b.i).map(({ item }) => item);
  const current = ordered.findIndex((item) => item.key === at.selectedKey);
  if (current >= 0 && Math.abs(ordered[current]!.time - at.time) <= slack) return ordered[current + direction] ?? null;
  if (direction === 1) return ordered.find((item) => item.time > at.time + slack) ?? null;
  return [...ordered].reverse().find((item) => item.time < at.time - slack) ?? null;
}

/** The clues at the player's position: the events it is inside, the boxes on its frame. */
export function cluesAt(items: readonly ClueItem[], time: number, frame: number): ClueItem[] {
  return items.filter((item) => (item.frame === null ? item.time <= time && time < item.end : item.frame === frame));
}
