/** The candidate list: its filters, the selection moving through it. */
import type { Candidate, CandidateState } from './types';

export type Filter = 'all' | CandidateState;

export const FILTERS: readonly Filter[] = ['all', 'proposed', 'accepted', 'rejected'];

export const FILTER_LABELS: Record<Filter, string> = {
  all: 'All',
  proposed: 'Proposed',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export function filterCandidates(candidates: readonly Candidate[], filter: Filter): Candidate[] {
  return filter === 'all' ? [...candidates] : candidates.filter((c) => c.state === filter);
}

export function countByFilter(candidates: readonly Candidate[]): Record<Filter, number> {
  const counts: Record<Filter, number> = { all: candidates.length, proposed: 0, accepted: 0, rejected: 0 };
  for (const c of candidates) {
    counts[c.state] += 1;
  }
  return counts;
}

/** Only proposed candidates may be edited, accepted or rejected. */
export function isEditable(candidate: Pick<Candidate, 'state'>): boolean {
  return candidate.state === 'proposed';
}

/** Replaces the candidate with the same id (keeping its position), or appends it. */
export function replaceCandidate(candidates: readonly Candidate[], updated: Candidate): Candidate[] {
  let found = false;
  const next = candidates.map((c) => {
    if (c.id === updated.id) {
      found = true;
      return updated;
    }
    return c;
  });
  if (!found) {
    next.push(updated);
  }
  return next;
}

/**
 * Moves the selection by `delta` rows within the visible list, clamped to its
 * ends. With nothing (visible) selected, going down picks the first row and
 * going up the last.
 */
export function moveSelection(visible: readonly Candidate[], selectedId: number | null, delta: number): number | null {
  if (visible.length === 0) {
    return null;
  }
  const index = visible.findIndex((c) => c.id === selectedId);
  if (index === -1) {
    return (delta >= 0 ? visible[0] : visible[visible.length - 1])?.id ?? null;
  }
  const target = Math.min(visible.length - 1, Math.max(0, index + delta));
  return visible[target]?.id ?? null;
}

/**
 * The selection after the visible list changed: the same row while it is
 * still visible, else the row that took its place (so accepting the selected
 * proposal under "Proposed" moves on to the next one), else the first row.
 */
export function reselect(
  visibleBefore: readonly Candidate[],
  visibleAfter: readonly Candidate[],
  selectedId: number | null,
): number | null {
  if (visibleAfter.length === 0) {
    return null;
  }
  if (visibleAfter.some((c) => c.id === selectedId)) {
    return selectedId;
  }
  const index = visibleBefore.findIndex((c) => c.id === selectedId);
  if (index === -1) {
    return visibleAfter[0]?.id ?? null;
  }
  // Rows before it that are still visible keep their places.
  const stillBefore = visibleBefore.slice(0, index).filter((c) => visibleAfter.some((a) => a.id === c.id)).length;
  return visibleAfter[Math.min(stillBefore, visibleAfter.length - 1)]?.id ?? null;
}

