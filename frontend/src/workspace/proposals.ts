/**
 * Clue proposals in the workspace (pure): which are still open (ghosts: regions on the timeline for events, boxes
 * on their exact frame for objects and attributes), accepting one (it becomes a clue that names its proposal: the
 * provenance), rejecting one (the document's `rejected_proposals`, saved with it and undoable like any edit),
 * moving between them, accepting every one in view above a threshold, and the running count's split between
 * accepted proposals and hand-made clues.
 */
import type { CanvasBox, TimelineRegion } from '../components';
import { type EditableDoc } from './doc';
import type { BoxProposal, ClueProposal, EventProposal } from './types';

/** Ghosts on the timeline: one colour, apart from the palette of people's clues. */
export const GHOST_COLOR = '#7f7f7f';
/** The default score from which Shift+A accepts. */
export const DEFAULT_ACCEPT_THRESHOLD = 0.5;

export const proposalKey = (id: number): string => `proposal-${id}`;

/** The proposal id of a "proposal-<id>" key, or null. */
export function parseProposalKey(key: string | null): number | null {
  const match = key === null ? null : /^proposal-(\d+)$/.exec(key);
  return match === null ? null : Number(match[1]);
}

function linkedIds(doc: Pick<EditableDoc, 'clues'>): Set<number> {
  const ids = new Set<number>();
  for (const clue of doc.clues) {
    if (typeof clue.proposal === 'number') ids.add(clue.proposal);
  }
  return ids;
}

export const isEventProposal = (p: ClueProposal): p is EventProposal => p.kind === 'event';
export const isBoxProposal = (p: ClueProposal): p is BoxProposal => p.kind !== 'event';

/** Where a proposal lies on the timeline: an event's start, a box's frame (its middle). */
export const proposalTime = (p: ClueProposal): number => (isEventProposal(p) ? p.start : p.timestamp);
/** Where a proposal ends on the timeline (a box's frame is one instant). */
export const proposalEnd = (p: ClueProposal): number => (isEventProposal(p) ? p.end : p.timestamp);

/**
 * The proposals of the question's category nobody decided in this document yet (neither a clue of it nor
 * rejected), in time order.
 */
export function openProposals(
  proposals: readonly ClueProposal[],
  doc: Pick<EditableDoc, 'clues' | 'rejected_proposals'> & { category?: EditableDoc['category'] },
): ClueProposal[] {
  const linked = linkedIds(doc);
  const rejected = new Set(doc.rejected_proposals ?? []);
  const category = doc.category ?? 'event';
  return proposals
    .filter((p) => p.kind === category && !linked.has(p.id) && !rejected.has(p.id))
    .sort((a, b) => proposalTime(a) - proposalTime(b) || a.id - b.id);
}

export const formatScore = (score: number): string => score.toFixed(2);

/** Ghost regions (not editable, dashed) labelled with their score: an event's interval, a box's frame. */
export function ghostRegions(open: readonly ClueProposal[]): TimelineRegion[] {
  return open.map((p) => ({
    key: proposalKey(p.id),
    start: proposalTime(p),
    end: proposalEnd(p),
    color: GHOST_COLOR,
    label: `? ${formatScore(p.score)}`,
    editable: false,
    ghost: true,
  }));
}

/** Ghost boxes of the open box proposals on frame `frame` (dashed on the canvas, apart from people's boxes). */
export function ghostBoxes(open: readonly ClueProposal[], frame: number): CanvasBox[] {
  return open.filter(isBoxProposal).filter((p) => p.frame_index === frame).map((p) => ({
    key: proposalKey(p.id),
    x1: p.box[0],
    y1: p.box[1],
    x2: p.box[2],
    y2: p.box[3],
    color: GHOST_COLOR,
    label: `? ${p.label ? `${p.label} ` : ''}${formatScore(p.score)}`,
    ghost: true,
  }));
}

/**
 * The document with the proposals accepted: each a clue that names it, at its times or with its box on its frame
 * (an attribute box in `cluster`, the first cluster when none is given).
 */
export function acceptProposals(doc: EditableDoc, accepted: readonly ClueProposal[], cluster: string | null = null): EditableDoc {
  if (accepted.length === 0) return doc;
  const ids = new Set(accepted.map((p) => p.id));
  const linked = linkedIds(doc);
  const clues = [...doc.clues];
  for (const p of accepted) {
    if (linked.has(p.id)) continue;
    if (isEventProposal(p)) {
      clues.push({ kind: 'event', start: p.start, end: p.end, proposal: p.id });
    } else {
      const [x1, y1, x2, y2] = p.box;
      const into = p.kind === 'attribute' ? (cluster ?? doc.clusters[0]?.name ?? '') : '';
      clues.push({ kind: p.kind, frame_index: p.frame_index, x1, y1, x2, y2, cluster: into, proposal: p.id });
    }
  }
  const rejected = (doc.rejected_proposals ?? []).filter((id) => !ids.has(id));
  return { ...doc, clues, rejected_proposals: rejected };
}

/** The document with the proposal rejected (remembered by the server once saved). */
export function rejectProposal(doc: EditableDoc, proposal: ClueProposal): EditableDoc {
  const rejected = new Set(doc.rejected_proposals ?? []);
  rejected.add(proposal.id);
  return {
    ...doc,
    clues: doc.clues.filter((c) => c.proposal !== proposal.id),
    rejected_proposals: [...rejected].sort((a, b) => a - b),
  };
}

/**
 * The proposal Tab (direction 1) or Shift+Tab (-1) goes to: the one after (before) the selected one, or, with
 * none selected, the first one starting after (the last one starting before) `time`; it wraps around.
 */
export function stepProposal(open: readonly ClueProposal[], selectedId: number | null, time: number, direction: 1 | -1): ClueProposal | null {
  if (open.length === 0) return null;
  const at = selectedId === null ? -1 : open.findIndex((p) => p.id === selectedId);
  if (at >= 0) {
    return open[(at + direction + open.length) % open.length] ?? null;
  }
  const eps = 1e-3;
  if (direction === 1) {
    return open.find((p) => proposalTime(p) > time + eps) ?? open[0] ?? null;
  }
  const before = open.filter((p) => proposalTime(p) < time - eps);
  return before[before.length - 1] ?? open[open.length - 1] ?? null;
}

/** The proposal after `id` once `id` is decided (the next one the keys move on to), or null. */
export function followingProposal(open: readonly ClueProposal[], id: number): ClueProposal | null {
  const at = open.findIndex((p) => p.id === id);
  if (at < 0) return null;
  return open[at + 1] ?? (at > 0 ? (open[0] ?? null) : null);
}

/** The open proposals that overlap `range` (the timeline's view; all when null) and score at least `threshold`. */
export function inViewAbove(open: readonly ClueProposal[], range: { start: number; end: number } | null, threshold: number): ClueProposal[] {
  return open.filter(
    (p) => p.score >= threshold && (range === null || (proposalEnd(p) >= range.start && proposalTime(p) <= range.end)),
  );
}

/** The running count's parts: clues accepted from proposals and clues drawn by hand. */
export function clueSources(doc: Pick<EditableDoc, 'clues' | 'category'>): { accepted: number; byHand: number } {
  let accepted = 0;
  let byHand = 0;
  for (const clue of doc.clues) {
    if (clue.kind !== doc.category) continue;
    if (typeof clue.proposal === 'number') accepted += 1;
    else byHand += 1;
  }
  return { accepted, byHand };
}
