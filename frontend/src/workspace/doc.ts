import { timeOfFrame, type Box } from '../components';
import type { BoxClue, Category, Clue, EventClue, Modality, QuestionDoc } from './types';

/** What the annotator edits: the fields a save sends (besides the version). */
export type EditableDoc = Pick<
  QuestionDoc,
  'text' | 'category' | 'modality' | 'drafted_answer' | 'ref_start' | 'ref_end' | 'clusters' | 'clues' | 'rejected_proposals'
>;

export interface Interval {
  start: number;
  end: number;
}

/** Validation messages keyed like the server's: "text", "ref_end", "clues[3]", "clusters[0]". */
export type DocErrors = Record<string, string>;

export const CATEGORIES: readonly Category[] = ['event', 'object', 'attribute'];
export const MODALITIES: readonly Modality[] = ['V', 'A', 'V2A', 'A2V', 'AV'];

export const CATEGORY_LABELS: Record<Category, string> = {
  event: 'Event',
  object: 'Object',
  attribute: 'Attribute',
};

export const MODALITY_LABELS: Record<Modality, string> = {
  V: 'Visual',
  A: 'Audio',
  V2A: 'Visual to audio',
  A2V: 'Audio to visual',
  AV: 'Audio-visual',
};

/** The colour of object boxes (one kind, no clusters). */
export const OBJECT_COLOR = '#ffe119';

/** The longest cluster name the server stores. */
export const CLUSTER_NAME_MAX = 100;

export function editableOf(q: EditableDoc): EditableDoc {
  return {
    text: q.text,
    category: q.category,
    modality: q.modality,
    drafted_answer: q.drafted_answer,
    ref_start: q.ref_start,
    ref_end: q.ref_end,
    clusters: q.clusters,
    clues: q.clues,
    // Sent only when known, so that a document without it leaves the server's rejections as they are.
    ...(q.rejected_proposals !== undefined ? { rejected_proposals: q.rejected_proposals } : {}),
  };
}

/** Same content, whatever the key order or the object identity. */
export function sameDoc(a: EditableDoc, b: EditableDoc): boolean {
  return JSON.stringify(editableOf(a)) === JSON.stringify(editableOf(b));
}

/** One end of the reference interval set, not the other: a draft kept in the page, never sent. */
export const halfSetRef = (doc: Pick<EditableDoc, 'ref_start' | 'ref_end'>): boolean => (doc.ref_start === null) !== (doc.ref_end === null);

/**
 * What a save sends of `doc`: itself, but with a half-set reference interval replaced by the interval the server
 * has (`saved`'s, or none), so that the draft never blocks the saves of everything else.
 */
export function wireDoc(doc: EditableDoc, saved: Pick<EditableDoc, 'ref_start' | 'ref_end'>): EditableDoc {
  if (!halfSetRef(doc)) return doc;
  const previous = halfSetRef(saved) ? { ref_start: null, ref_end: null } : { ref_start: saved.ref_start, ref_end: saved.ref_end };
  return { ...doc, ...previous };
}

export const clueKey = (index: number): string => `clue-${index}`;

/** The clue index of a "clue-<i>" key, or null. */
export function parseClueKey(key: string | null): number | null {
  const match = key === null ? null : /^clue-(\d+)$/.exec(key);
  return match === null ? null : Number(match[1]);
}

export const isEvent = (clue: Clue): clue is EventClue => clue.kind === 'event';
export const isBox = (clue: Clue): clue is BoxClue => clue.kind !== 'event';

export function addClue(doc: EditableDoc, clue: Clue): EditableDoc {
  return { ...doc, clues: [...doc.clues, clue] };
}

export function removeClue(doc: EditableDoc, index: number): EditableDoc {
  if (index < 0 || index >= doc.clues.length) {
    return doc;
  }
  return { ...doc, clues: doc.clues.filter((_, i) => i !== index) };
}

/** Replaces fields of clue `index` (its kind stays). */
export function updateClue(
  doc: EditableDoc,
  index: number,
  patch: Partial<Omit<EventClue, 'kind'>> | Partial<Omit<BoxClue, 'kind'>>,
): EditableDoc {
  const clue = doc.clues[index];
  if (clue === undefined) {
    return doc;
  }
  const clues = doc.clues.slice();
  clues[index] = { ...clue, ...patch } as Clue;
  return { ...doc, clues };
}

export function eventClue(start: number, end: number): EventClue {
  return { kind: 'event', start: Math.min(start, end), end: Math.max(start, end) };
}

/** The same rectangle with x1 <= x2 and y1 <= y2, rounded to 0.1 px (the precision the release writes). */
export function normalBox(box: Box): Box {
  const r = (v: number) => Math.round(v * 10) / 10 + 0;
  return {
    x1: r(Math.min(box.x1, box.x2)),
    y1: r(Math.min(box.y1, box.y2)),
    x2: r(Math.max(box.x1, box.x2)),
    y2: r(Math.max(box.y1, box.y2)),
  };
}

export function boxClue(kind: 'object' | 'attribute', frameIndex: number, box: Box, cluster = ''): BoxClue {
  return { kind, frame_index: frameIndex, ...normalBox(box), cluster: kind === 'attribute' ? cluster : '' };
}

/** Clues with their index in the document, in document order. */
export function indexedClues<C extends Clue>(doc: EditableDoc, keep: (clue: Clue) => clue is C): { index: number; clue: C }[] {
  const out: { index: number; clue: C }[] = [];
  doc.clues.forEach((clue, index) => {
    if (keep(clue)) out.push({ index, clue });
  });
  return out;
}

/** The box clues drawn on frame `frameIndex`. */
export function boxesOnFrame(doc: EditableDoc, frameIndex: number): { index: number; clue: BoxClue }[] {
  return indexedClues(doc, isBox).filter(({ clue }) => clue.frame_index === frameIndex);
}

/** Box clues grouped by frame, frames in order. */
export function boxesByFrame(doc: EditableDoc): { frame: number; boxes: { index: number; clue: BoxClue }[] }[] {
  const groups = new Map<number, { index: number; clue: BoxClue }[]>();
  for (const entry of indexedClues(doc, isBox)) {
    const list = groups.get(entry.clue.frame_index);
    if (list === undefined) groups.set(entry.clue.frame_index, [entry]);
    else list.push(entry);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([frame, boxes]) => ({ frame, boxes }));
}

/** The number of boxes per cluster name. */
export function clusterBoxCounts(doc: EditableDoc): Map<string, number> {
  const counts = new Map<string, number>(doc.clusters.map((c) => [c.name, 0]));
  for (const clue of doc.clues) {
    if (clue.kind === 'attribute') {
      counts.set(clue.cluster, (counts.get(clue.cluster) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * What the clues count: one per event or object clue; for attribute questions
 * the clusters that hold at least one box (FORMAT.md: the answer is the number
 * of clusters, each non-empty).
 */
export function clueCount(doc: EditableDoc): number {
  if (doc.category === 'attribute') {
    const counts = clusterBoxCounts(doc);
    return doc.clusters.filter((c) => (counts.get(c.name) ?? 0) > 0).length;
  }
  return doc.clues.filter((c) => c.kind === doc.category).length;
}

/** The reference interval, when both ends are set. */
export function refOf(doc: Pick<EditableDoc, 'ref_start' | 'ref_end'>): Interval | null {
  return doc.ref_start !== null && doc.ref_end !== null ? { start: doc.ref_start, end: doc.ref_end } : null;
}

/** A clue's place in time: an event's interval, a box's mid-frame time (the time the release writes). */
export function clueTime(clue: Clue, fps: number): Interval {
  if (clue.kind === 'event') {
    return { start: clue.start, end: clue.end };
  }
  const t = timeOfFrame(clue.frame_index, fps);
  return { start: t, end: t };
}

/** The time the clues cover, from the earliest to the latest, or null without clues. */
export function spanOfClues(clues: readonly Clue[], fps: number): Interval | null {
  let span: Interval | null = null;
  for (const clue of clues) {
    const t = clueTime(clue, fps);
    span = span === null ? t : { start: Math.min(span.start, t.start), end: Math.max(span.end, t.end) };
  }
  return span;
}

/** The interval a pooled question gets: the union (hull) of the drafted interval and the clues' span. */
export function finalInterval(ref: Interval | null, clues: readonly Clue[], fps: number): Interval | null {
  const span = spanOfClues(clues, fps);
  if (ref === null) return span;
  if (span === null) return ref;
  return { start: Math.min(ref.start, span.start), end: Math.max(ref.end, span.end) };
}
