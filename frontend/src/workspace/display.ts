/** What the workspace draws of the question: timeline regions and canvas boxes (pure). */
import { paletteColor, type CanvasBox, type TimelineRegion } from '../components';
import { anchorTime } from './comments';
import { boxesOnFrame, clueKey, OBJECT_COLOR, type EditableDoc } from './doc';
import type { CommentInfo } from './types';

/** The reference interval's colour on the timeline. */
export const REF_COLOR = '#808080';
/** Open comments are markers of this colour on the timeline. */
export const COMMENT_COLOR = '#d97706';

/** The reference interval, the open comments' markers and the event clues, as timeline regions. */
export function timelineRegions(
  doc: Pick<EditableDoc, 'ref_start' | 'ref_end' | 'clues'>,
  comments: readonly CommentInfo[],
  fps: number,
  editable: boolean,
): TimelineRegion[] {
  const list: TimelineRegion[] = [];
  if (doc.ref_start !== null && doc.ref_end !== null && doc.ref_start < doc.ref_end) {
    list.push({ key: 'ref', start: doc.ref_start, end: doc.ref_end, color: REF_COLOR, label: 'reference', editable });
  }
  for (const comment of comments) {
    const at = comment.resolved_at === null ? anchorTime(comment, fps) : null;
    if (at !== null) {
      list.push({ key: `comment-${comment.id}`, start: at, end: at, color: COMMENT_COLOR, label: 'comment', editable: false });
    }
  }
  let n = 0;
  doc.clues.forEach((clue, index) => {
    if (clue.kind !== 'event') return;
    n += 1;
    list.push({ key: clueKey(index), start: clue.start, end: clue.end, color: paletteColor(n - 1), label: `#${n}`, editable });
  });
  return list;
}

/** The colour of each cluster, by name. */
export const clusterColors = (doc: Pick<EditableDoc, 'clusters'>): Map<string, string> =>
  new Map(doc.clusters.map((c) => [c.name, c.color]));

/** The boxes of frame `frame` as the canvas draws them: objects numbered, attribute boxes in their cluster's colour. */
export function canvasBoxes(doc: EditableDoc, frame: number, colors: ReadonlyMap<string, string>): CanvasBox[] {
  const objectNumbers = new Map<number, number>();
  let n = 0;
  doc.clues.forEach((clue, index) => {
    if (clue.kind === 'object') objectNumbers.set(index, (n += 1));
  });
  return boxesOnFrame(doc, frame).map(({ index, clue }) => ({
    key: clueKey(index),
    x1: clue.x1,
    y1: clue.y1,
    x2: clue.x2,
    y2: clue.y2,
    color: clue.kind === 'attribute' ? (colors.get(clue.cluster) ?? OBJECT_COLOR) : OBJECT_COLOR,
    label: clue.kind === 'attribute' ? clue.cluster : `#${objectNumbers.get(index) ?? '?'}`,
  }));
}

/** The colour of a box being drawn: the selected cluster's on attribute questions. */
export function drawColor(doc: Pick<EditableDoc, 'category'>, selectedCluster: string | null, colors: ReadonlyMap<string, string>): string {
  return doc.category === 'attribute' && selectedCluster !== null ? (colors.get(selectedCluster) ?? OBJECT_COLOR) : OBJECT_COLOR;
}
