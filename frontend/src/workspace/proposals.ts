/**
 * Event clue proposals in the workspace (pure): which are still open (ghosts), accepting one (it becomes a clue
 * that names its proposal: the provenance), rejecting one (the document's `rejected_proposals`, saved with it and
 * undoable like any edit), moving between them, accepting every one in view above a threshold, and the running
 * count's split between accepted proposals and hand-made clues.
 */
import type { TimelineRegion } from '../components';
import { type EditableDoc } from './doc';
import type { ClueProposal } from './types';

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
    if (clue.kind === 'event' && typeof clue.proposal === 'number') ids.add(clue.proposal);
  }
  return ids;
}

/** The proposals nobody decided in this document yet (neither a clue of it nor rejected), by start time. */
export function openProposals(proposals: readonly ClueProposal[], doc: Pick<EditableDoc, 'clues' | 'rejected_proposals'>): ClueProposal[] {
  const linked = linkedIds(doc);
  const rejected = new Set(doc.rejected_proposals ?? []);
  return proposals
    .filter((p) => p.kind === 'event' && !linked.has(p.id) && !rejected.has(p.id))
    .sort((a, b) => a.start - b.start || a.id - b.id);
}

export const formatScore = (score: number): string => score.toFixed(2);

/** Ghost regions (not editable, dashed) labelled with their score. */
export function ghostRegions(open: readonly ClueProposal[]): TimelineRegion[] {
  return open.map((p) => ({
    key: proposalKey(p.id),
    start: p.start,
    end: p.end,
    color: GHOST_COLOR,
    label: `? ${formatScore(p.score)}`,
    editable: false,
    ghost: true,
  }));
}

/** The document with the proposal accepted: a clue at its times that names it. */
export function acceptProposals(doc: EditableDoc, accepted: readonly ClueProposal[]): EditableDoc {
  if (accepted.length === 0) return doc;
  const ids = new Set(accepted.map((p) => p.id));
  const linked = linkedIds(doc);
  const clues = [...doc.clues];
  for (const p of accepted) {
    if (!linked.has(p.id)) clues.push({ kind: 'event', start: p.start, end: p.end, proposal: p.id });
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
    clues: doc.clues.filter((c) => !(c.kind === 'event' && c.proposal === proposal.id)),
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
    return open.find((p) => p.start > time + eps) ?? open[0] ?? null;
  }
  const before = open.filter((p) => p.start < time - eps);
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
  return open.filter((p) => p.score >= threshold && (range === null || (p.end > range.start && p.start < range.end)));
}

/** The running count's parts: clues accepted from proposals and clues drawn by hand. */
export function clueSources(doc: Pick<EditableDoc, 'clues' | 'category'>): { accepted: number; byHand: number } {
  let accepted = 0;
  let byHand = 0;
  for (const clue of doc.clues) {
    if (clue.kind !== doc.category) continue;
    if (clue.kind === 'event' && typeof clue.proposal === 'number') accepted += 1;
    else byHand += 1;
  }
  return { accepted, byHand };
}
