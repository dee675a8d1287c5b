import { useMemo, useState, type RefObject } from 'react';
import type { PlayerClock, TimelineHandle } from '../components';
import type { ProposalKeys } from './keyboard';
import {
  acceptProposals,
  DEFAULT_ACCEPT_THRESHOLD,
  followingProposal,
  ghostRegions,
  inViewAbove,
  isEventProposal,
  openProposals,
  parseProposalKey,
  proposalKey,
  rejectProposal,
  stepProposal,
} from './proposals';
import type { ClueProposal } from './types';
import { useProposals } from './useProposals';
import { clueKey } from './doc';
import type { WorkspaceDoc } from './useWorkspaceDoc';

/**
 * The machine's proposals as the annotator works them: ghosts on the timeline (and ghost boxes on their frame),
 * Tab / Shift+Tab to move (seek and select), Enter to accept (it becomes a clue naming its proposal), x to reject,
 * Shift+A to accept every one in view from the threshold up. Decisions are edits of the document: undoable,
 * autosaved.
 */
export function useProposalCommands(
  ws: WorkspaceDoc,
  player: PlayerClock,
  timeline: RefObject<TimelineHandle | null>,
  urls: { proposals?: string; proposal_request?: string },
  csrf: string,
  fetchRef: { current: typeof fetch },
  /** The cluster an accepted attribute box goes into (the selected one). */
  cluster: string | null = null,
) {
  const { doc, commit, editable, view, viewDispatch: dispatch, snapshot } = ws;
  const state = useProposals(urls.proposals ?? null, urls.proposal_request ?? null, fetchRef, csrf,
    snapshot.server.version);
  const [threshold, setThreshold] = useState(DEFAULT_ACCEPT_THRESHOLD);
  const open = useMemo(() => openProposals(state.proposals, doc), [state.proposals, doc]);
  const ghosts = useMemo(() => ghostRegions(open), [open]);
  const selectedId = parseProposalKey(view.selectedKey);
  const selected = open.find((p) => p.id === selectedId) ?? null;
  const hint = (text: string) => dispatch({ type: 'hint', text });

  const goTo = (p: ClueProposal | null) => {
    if (p === null) {
      dispatch({ type: 'select', key: null });
      return;
    }
    dispatch({ type: 'select', key: proposalKey(p.id) });
    player.pause();
    if (isEventProposal(p)) player.seekTo(p.start);
    else player.seekFrame(p.frame_index);
  };

  const step = (direction: 1 | -1) => goTo(stepProposal(open, selectedId, player.now(), direction));

  /** An attribute box needs a cluster to go into. */
  const noCluster = (list: readonly ClueProposal[]) => {
    if (doc.category === 'attribute' && doc.clusters.length === 0 && list.some((p) => p.kind === 'attribute')) {
      hint('Make a cluster first (n): an attribute box belongs to one.');
      return true;
    }
    return false;
  };

  const accept = (p: ClueProposal | null = selected) => {
    if (p === null || !editable || noCluster([p])) return;
    const next = followingProposal(open, p.id);
    commit(acceptProposals(doc, [p], cluster));
    goTo(next);
  };

  const reject = (p: ClueProposal | null = selected) => {
    if (p === null || !editable) return;
    const next = followingProposal(open, p.id);
    commit(rejectProposal(doc, p));
    goTo(next);
  };

  const acceptAll = () => {
    if (!editable) return;
    const chosen = inViewAbove(open, timeline.current?.visibleRange?.() ?? null, threshold);
    if (chosen.length === 0) {
      hint(`No proposal in view scores ${threshold.toFixed(2)} or more.`);
      return;
    }
    if (noCluster(chosen)) return;
    commit(acceptProposals(doc, chosen, cluster));
    dispatch({ type: 'select', key: null });
    hint(`Accepted ${chosen.length} proposal${chosen.length === 1 ? '' : 's'} (undo: Ctrl+Z).`);
  };

  const keys: ProposalKeys = { open: editable && open.length > 0, selected: editable && selected !== null };

  /** A box proposal the page itself asked for (a click): known at once, accepted and selected. */
  const adoptClicked = (p: ClueProposal) => {
    state.add(p);
    if (!editable || noCluster([p])) return;
    commit(acceptProposals(doc, [p], cluster));
    // The new clue is the last one: selected, so its handles are there to adjust it.
    dispatch({ type: 'select', key: clueKey(doc.clues.length) });
    hint(`Box from your click (score ${p.score.toFixed(2)}): adjust it if needed; undo with Ctrl+Z.`);
  };

  return { ...state, open, ghosts, selected, threshold, setThreshold, keys, step, accept, reject, acceptAll, goTo,
    adoptClicked };
}

export type ProposalCommands = ReturnType<typeof useProposalCommands>;
