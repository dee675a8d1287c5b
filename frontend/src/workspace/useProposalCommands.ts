import { useMemo, useState, type RefObject } from 'react';
import type { PlayerClock, TimelineHandle } from '../components';
import type { ProposalKeys } from './keyboard';
import {
  acceptProposals,
  DEFAULT_ACCEPT_THRESHOLD,
  followingProposal,
  ghostRegions,
  inViewAbove,
  openProposals,
  parseProposalKey,
  proposalKey,
  rejectProposal,
  stepProposal,
} from './proposals';
import type { ClueProposal } from './types';
import { useProposals } from './useProposals';
import type { WorkspaceDoc } from './useWorkspaceDoc';

/**
 * The machine's event proposals as the annotator works them: ghosts on the timeline, Tab / Shift+Tab to move
 * (seek and select), Enter to accept (it becomes a clue naming its proposal), x to reject, Shift+A to accept
 * every one in view from the threshold up. Decisions are edits of the document: undoable, autosaved.
 */
export function useProposalCommands(
  ws: WorkspaceDoc,
  player: PlayerClock,
  timeline: RefObject<TimelineHandle | null>,
  urls: { proposals?: string; proposal_request?: string },
  csrf: string,
  fetchRef: { current: typeof fetch },
) {
  const { doc, commit, editable, view, viewDispatch: dispatch, snapshot } = ws;
  const isEvent = doc.category === 'event';
  const state = useProposals(isEvent ? (urls.proposals ?? null) : null, urls.proposal_request ?? null, fetchRef, csrf,
    snapshot.server.version);
  const [threshold, setThreshold] = useState(DEFAULT_ACCEPT_THRESHOLD);
  const open = useMemo(() => (isEvent ? openProposals(state.proposals, doc) : []), [isEvent, state.proposals, doc]);
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
    player.seekTo(p.start);
  };

  const step = (direction: 1 | -1) => goTo(stepProposal(open, selectedId, player.now(), direction));

  const accept = (p: ClueProposal | null = selected) => {
    if (p === null || !editable) return;
    const next = followingProposal(open, p.id);
    commit(acceptProposals(doc, [p]));
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
    commit(acceptProposals(doc, chosen));
    dispatch({ type: 'select', key: null });
    hint(`Accepted ${chosen.length} proposal${chosen.length === 1 ? '' : 's'} (undo: Ctrl+Z).`);
  };

  const keys: ProposalKeys = { open: editable && open.length > 0, selected: editable && selected !== null };

  return { ...state, open, ghosts, selected, threshold, setThreshold, keys, step, accept, reject, acceptAll, goTo };
}

export type ProposalCommands = ReturnType<typeof useProposalCommands>;
