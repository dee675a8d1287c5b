import { timeOfFrame } from './time';
import type { BoxClue, Category, Clue, Cluster, EventClue, Modality, QuestionDoc, VideoInfo } from './types';

/** What the annotator edits: the fields a save sends (besides the version). */
export type EditableDoc = Pick<
  QuestionDoc,
  'text' | 'category' | 'modality' | 'drafted_answer' | 'ref_start' | 'ref_end' | 'clusters' | 'clues'
>;

export interface Interval {
  start: number;
  end: number;
}

/** A box in frame pixels. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
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

/** Distinct colours for clusters and event clues (Sasha Trubetskoy's list). */
export const PALETTE: readonly string[] = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#469990',
  '#9a6324',
  '#800000',
  '#000075',
];

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
  };
}

/** Same content, whatever the key order or the object identity. */
export function sameDoc(a: EditableDoc, b: EditableDoc): boolean {
  return JSON.stringify(editableOf(a)) === JSON.stringify(editableOf(b));
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

/** A palette colour no cluster uses yet (cycling when all are taken). */
export function nextClusterColor(clusters: readonly Cluster[]): string {
  const used = new Set(clusters.map((c) => c.color.toLowerCase()));
  return PALETTE.find((c) => !used.has(c)) ?? PALETTE[clusters.length % PALETTE.length]!;
}

/** "Cluster N" with the first N not taken. */
export function nextClusterName(clusters: readonly Cluster[]): string {
  const names = new Set(clusters.map((c) => c.name));
  let n = clusters.length + 1;
  while (names.has(`Cluster ${n}`)) n += 1;
  return `Cluster ${n}`;
}

export function addCluster(doc: EditableDoc, cluster?: Partial<Cluster>): EditableDoc {
  const added: Cluster = {
    name: cluster?.name ?? nextClusterName(doc.clusters),
    color: cluster?.color ?? nextClusterColor(doc.clusters),
  };
  return { ...doc, clusters: [...doc.clusters, added] };
}

/** Why `name` cannot be the name of cluster `index`, or null when it can. */
export function clusterNameProblem(clusters: readonly Cluster[], index: number, name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'A cluster needs a name.';
  if (trimmed.length > CLUSTER_NAME_MAX) return `At most ${CLUSTER_NAME_MAX} characters.`;
  if (clusters.some((c, i) => i !== index && c.name === trimmed)) return 'Another cluster has this name.';
  return null;
}

/** Renames cluster `index`; its boxes follow. Returns the document unchanged if the name is not allowed. */
export function renameCluster(doc: EditableDoc, index: number, name: string): EditableDoc {
  const cluster = doc.clusters[index];
  if (cluster === undefined || clusterNameProblem(doc.clusters, index, name) !== null) {
    return doc;
  }
  const trimmed = name.trim();
  if (trimmed === cluster.name) return doc;
  return {
    ...doc,
    clusters: doc.clusters.map((c, i) => (i === index ? { ...c, name: trimmed } : c)),
    clues: doc.clues.map((c) => (c.kind === 'attribute' && c.cluster === cluster.name ? { ...c, cluster: trimmed } : c)),
  };
}

export function recolorCluster(doc: EditableDoc, index: number, color: string): EditableDoc {
  if (doc.clusters[index] === undefined) return doc;
  return { ...doc, clusters: doc.clusters.map((c, i) => (i === index ? { ...c, color } : c)) };
}

/** Removes cluster `index` and its boxes. */
export function removeCluster(doc: EditableDoc, index: number): EditableDoc {
  const cluster = doc.clusters[index];
  if (cluster === undefined) return doc;
  return {
    ...doc,
    clusters: doc.clusters.filter((_, i) => i !== index),
    clues: doc.clues.filter((c) => !(c.kind === 'attribute' && c.cluster === cluster.name)),
  };
}

/** The video facts validation needs. */
export type VideoBounds = Pick<VideoInfo, 'duration' | 'frame_count' | 'width' | 'height'>;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const ARTICLE: Record<Category, string> = { event: 'an event', object: 'an object', attribute: 'an attribute' };

function intervalProblem(start: number, end: number, duration: number): string | null {
  if (!finite(start) || !finite(end)) return 'Start and end must be numbers.';
  if (start < 0) return 'It starts before the video.';
  if (end > duration) return `It ends after the video (${duration} s).`;
  if (!(start < end)) return 'The end must come after the start.';
  return null;
}

function clueProblem(doc: EditableDoc, clue: Clue, video: VideoBounds): string | null {
  if (clue.kind !== doc.category) {
    return `This is ${ARTICLE[clue.kind]} clue; the question counts ${CATEGORY_LABELS[doc.category].toLowerCase()}s.`;
  }
  if (clue.kind === 'event') {
    return intervalProblem(clue.start, clue.end, video.duration);
  }
  if (!Number.isInteger(clue.frame_index) || clue.frame_index < 0 || clue.frame_index >= video.frame_count) {
    return `The frame must be between 0 and ${video.frame_count - 1}.`;
  }
  if (![clue.x1, clue.y1, clue.x2, clue.y2].every(finite)) return 'The box coordinates must be numbers.';
  if (!(clue.x2 > clue.x1 && clue.y2 > clue.y1)) return 'The box has no area.';
  if (clue.x1 < 0 || clue.y1 < 0 || clue.x2 > video.width || clue.y2 > video.height) {
    return `The box leaves the frame (${video.width}×${video.height}).`;
  }
  if (clue.kind === 'attribute' && !doc.clusters.some((c) => c.name === clue.cluster)) {
    return clue.cluster === '' ? 'The box is in no cluster.' : `No cluster is named "${clue.cluster}".`;
  }
  if (clue.kind === 'object' && clue.cluster !== '') return 'An object box has no cluster.';
  return null;
}

/**
 * The problems the server would refuse a save for, keyed as it keys them;
 * an empty object when there are none.
 */
export function validateDoc(doc: EditableDoc, video: VideoBounds): DocErrors {
  const errors: DocErrors = {};
  if (doc.text.trim() === '') errors.text = 'Write the question.';
  if (!CATEGORIES.includes(doc.category)) errors.category = 'Choose a category.';
  if (!MODALITIES.includes(doc.modality)) errors.modality = 'Choose a modality.';
  if (doc.drafted_answer !== null && !(Number.isInteger(doc.drafted_answer) && doc.drafted_answer >= 0)) {
    errors.drafted_answer = 'The count is a whole number, 0 or more.';
  }
  if (doc.ref_start === null && doc.ref_end !== null) {
    errors.ref_start = 'Set both ends of the reference interval, or neither.';
  } else if (doc.ref_start !== null && doc.ref_end === null) {
    errors.ref_end = 'Set both ends of the reference interval, or neither.';
  } else if (doc.ref_start !== null && doc.ref_end !== null) {
    const problem = intervalProblem(doc.ref_start, doc.ref_end, video.duration);
    if (problem !== null) errors[doc.ref_start < 0 || !finite(doc.ref_start) ? 'ref_start' : 'ref_end'] = problem;
  }
  doc.clusters.forEach((cluster, i) => {
    const problem = clusterNameProblem(doc.clusters, i, cluster.name);
    if (problem !== null) errors[`clusters[${i}]`] = problem;
  });
  doc.clues.forEach((clue, i) => {
    const problem = clueProblem(doc, clue, video);
    if (problem !== null) errors[`clues[${i}]`] = problem;
  });
  return errors;
}

/** Validation plus what a submit needs: a drafted count and a reference interval. */
export function validateForSubmit(doc: EditableDoc, video: VideoBounds): DocErrors {
  const errors = validateDoc(doc, video);
  if (doc.drafted_answer === null && errors.drafted_answer === undefined) {
    errors.drafted_answer = 'Draft the count before submitting.';
  }
  if (doc.ref_start === null && doc.ref_end === null) {
    errors.ref_start = 'Set the reference interval before submitting.';
  }
  return errors;
}
