import { clampMs, type Box, type PlayerClock } from '../components';
import { addCluster, recolorCluster, removeCluster, renameCluster } from './clusters';
import { addClue, boxClue, clueKey, eventClue, normalBox, parseClueKey, removeClue, updateClue, type EditableDoc } from './doc';
import type { DraftField } from './DraftForm';
import type { WorkspaceDoc } from './useWorkspaceDoc';

/** The cluster new boxes go to: the one chosen while it exists, else the first. */
export const selectedClusterOf = (doc: EditableDoc, choice: string | null): string | null =>
  doc.clusters.find((c) => c.name === choice)?.name ?? doc.clusters[0]?.name ?? null;

/**
 * What the annotator does to the question, from the panels, the canvas, the
 * timeline and the keys: draft fields, event clues at the playhead, boxes on
 * the frame shown, clusters, regions dragged on the timeline.
 */
export function useClueCommands(
  ws: WorkspaceDoc,
  player: PlayerClock,
  duration: number,
  frameSize: { width: number; height: number } = { width: Number.POSITIVE_INFINITY, height: Number.POSITIVE_INFINITY },
  /** The project's vocabulary of cluster names: a new cluster takes the first one not in use. */
  clusterLabels: readonly string[] = [],
) {
  const { doc, commit, editable, viewDispatch: dispatch, view } = ws;
  const hint = (text: string | null) => dispatch({ type: 'hint', text });
  const selectedCluster = selectedClusterOf(doc, view.clusterChoice);
  const isBoxQuestion = doc.category === 'object' || doc.category === 'attribute';

  // Stage 2.
  const changeDraft = (patch: Partial<EditableDoc>, field: DraftField) => commit({ ...doc, ...patch }, field);
  const setRefFromPlayer = (field: 'ref_start' | 'ref_end') => commit({ ...doc, [field]: player.now() });

  // Events.
  const startEvent = () => {
    if (!editable) return;
    if (doc.category !== 'event') {
      hint('Only event questions have event clues.');
      return;
    }
    dispatch({ type: 'eventStarted', at: player.now() });
  };
  const endEvent = () => {
    if (!editable || doc.category !== 'event') return;
    const start = view.pendingStart;
    if (start === null) {
      hint('Press i at the start of the event first, then o at its end.');
      return;
    }
    const end = player.now();
    if (end === start) {
      hint('The event has no length yet: move the playhead, then press o.');
      return;
    }
    commit(addClue(doc, eventClue(start, end)));
    dispatch({ type: 'clueAdded', key: clueKey(doc.clues.length), eventEnded: true });
  };
  const updateEvent = (index: number, patch: { start?: number; end?: number }, field: string) =>
    commit(updateClue(doc, index, patch), `clues[${index}].${field}`);
  const removeClueAt = (index: number) => {
    commit(removeClue(doc, index));
    dispatch({ type: 'select', key: null });
  };
  const deleteSelected = () => {
    const index = parseClueKey(view.selectedKey);
    if (index !== null && editable) removeClueAt(index);
  };
  const removeOtherKinds = () => {
    commit({ ...doc, clues: doc.clues.filter((c) => c.kind === doc.category) });
    dispatch({ type: 'select', key: null });
  };

  // Boxes.
  const createBox = (box: Box) => {
    if (!editable || player.clock.playing) return;
    if (!isBoxQuestion) {
      hint('Only object and attribute questions have boxes.');
      return;
    }
    const rounded = normalBox(box);
    if (!(rounded.x2 > rounded.x1 && rounded.y2 > rounded.y1)) return;
    if (doc.category === 'attribute') {
      if (selectedCluster === null) {
        hint('Add a cluster first: every box of an attribute question belongs to a cluster.');
        return;
      }
      commit(addClue(doc, boxClue('attribute', player.frame, rounded, selectedCluster)));
    } else {
      commit(addClue(doc, boxClue('object', player.frame, rounded)));
    }
    dispatch({ type: 'clueAdded', key: clueKey(doc.clues.length) });
  };
  const changeBox = (key: string, box: Box) => {
    const index = parseClueKey(key);
    if (index === null) return;
    commit(updateClue(doc, index, normalBox(box)), `box:${key}`);
  };
  /** Alt+arrows: the selected box moved by whole frame pixels, kept inside the frame (not while playing). */
  const nudgeSelected = (dx: number, dy: number) => {
    const index = parseClueKey(view.selectedKey);
    const clue = index === null ? undefined : doc.clues[index];
    if (index === null || clue === undefined || clue.kind === 'event' || !editable || player.clock.playing) return;
    const x = Math.min(Math.max(dx, -Math.min(clue.x1, clue.x2)), frameSize.width - Math.max(clue.x1, clue.x2));
    const y = Math.min(Math.max(dy, -Math.min(clue.y1, clue.y2)), frameSize.height - Math.max(clue.y1, clue.y2));
    if (x === 0 && y === 0) return;
    changeBox(clueKey(index), { x1: clue.x1 + x, y1: clue.y1 + y, x2: clue.x2 + x, y2: clue.y2 + y });
  };
  const deleteBox = (key: string) => {
    const index = parseClueKey(key);
    if (index !== null) removeClueAt(index);
  };

  // Clusters.
  const addNewCluster = () => {
    const next = addCluster(doc, undefined, clusterLabels);
    commit(next);
    dispatch({ type: 'clusterChosen', name: next.clusters.at(-1)?.name ?? null, clearHint: true });
  };
  const renameClusterAt = (index: number, name: string) => {
    const before = doc.clusters[index]?.name;
    const next = renameCluster(doc, index, name);
    commit(next, null);
    if (before !== undefined && before === selectedCluster) {
      dispatch({ type: 'clusterChosen', name: next.clusters[index]?.name ?? null });
    }
  };
  const recolorClusterAt = (index: number, color: string) =>
    commit(recolorCluster(doc, index, color), `clusters[${index}].color`);
  const removeClusterAt = (index: number) => {
    commit(removeCluster(doc, index));
    dispatch({ type: 'select', key: null });
  };
  const nextCluster = () => {
    if (doc.category !== 'attribute') return;
    if (doc.clusters.length === 0) {
      // The first cluster is made by key too: n makes cluster 1 and selects it.
      if (editable) addNewCluster();
      else hint('No clusters yet.');
      return;
    }
    const at = doc.clusters.findIndex((c) => c.name === selectedCluster);
    dispatch({ type: 'clusterChosen', name: doc.clusters[(at + 1) % doc.clusters.length]?.name ?? null });
  };

  // Regions dragged on the timeline.
  const changeRegion = (key: string, start: number, end: number) => {
    const s = clampMs(Math.min(start, end), duration);
    const e = clampMs(Math.max(start, end), duration);
    if (key === 'ref') {
      commit({ ...doc, ref_start: s, ref_end: e }, 'region:ref');
      return;
    }
    const index = parseClueKey(key);
    if (index !== null && doc.clues[index]?.kind === 'event') commit(updateClue(doc, index, { start: s, end: e }), `region:${key}`);
  };

  return {
    selectedCluster,
    isBoxQuestion,
    changeDraft,
    setRefFromPlayer,
    startEvent,
    endEvent,
    updateEvent,
    removeClueAt,
    deleteSelected,
    removeOtherKinds,
    createBox,
    changeBox,
    nudgeSelected,
    deleteBox,
    addNewCluster,
    renameClusterAt,
    recolorClusterAt,
    removeClusterAt,
    nextCluster,
    changeRegion,
  };
}

export type ClueCommands = ReturnType<typeof useClueCommands>;
