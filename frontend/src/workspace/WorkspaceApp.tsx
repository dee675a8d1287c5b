import { useMemo, useRef } from 'react';
import {
  BoxCanvas,
  clampMs,
  frameUrl,
  Player,
  playerPropsOf,
  ShortcutHelp,
  Timeline,
  timelineMediaOf,
  usePlayerClock,
  type TimelineHandle,
} from '../components';
import { useLatest } from '../shared/hooks';
import { takeOver } from './api';
import { CluePanel } from './CluePanel';
import { anchorTime } from './comments';
import { CommentsPanel } from './CommentsPanel';
import { canvasBoxes, clusterColors, drawColor, timelineRegions } from './display';
import { canRedo, canUndo, mergeBaseOf } from './docState';
import { DraftForm } from './DraftForm';
import { SHORTCUT_HELP } from './keyboard';
import type { WorkspaceData } from './types';
import { ProposalPanel } from './ProposalPanel';
import { ghostBoxes } from './proposals';
import { useClickToBox } from './useClickToBox';
import { useClueCommands } from './useClueCommands';
import { useProposalCommands } from './useProposalCommands';
import { useSubmit } from './useSubmit';
import { useWorkspaceDoc } from './useWorkspaceDoc';
import { useWorkspaceKeys } from './useWorkspaceKeys';
import { validateDoc } from './validate';
import { WorkspaceHeader } from './WorkspaceHeader';
import { WorkspaceNotices } from './WorkspaceNotices';
import './fixes.css';

export { outcomeText } from './WorkspaceNotices';

export interface WorkspaceAppProps {
  data: WorkspaceData;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * The annotation workspace of one question (stages 2 and 3): the proxy video
 * with frame-accurate controls, the timeline of regions under it, the exact
 * frame with its boxes over it while paused, the drafted answer and reference
 * interval, and the clues of the question's category. Every change is
 * undoable, journaled in the browser and autosaved with the version it was
 * made on; a 409 shows both versions and lets the annotator choose.
 */
/** No vocabulary: one constant, so the hooks see the same array on every render. */
const NO_LABELS: readonly string[] = [];

export function WorkspaceApp({ data, fetchImpl }: WorkspaceAppProps) {
  const { video, urls, csrf_token: csrf } = data;
  const { fps, frame_count: frameCount, duration } = video;
  const fetchRef = useLatest<typeof fetch>(fetchImpl ?? defaultFetch);
  const commentsFetch = useMemo<typeof fetch>(() => (input, init) => fetchRef.current(input, init), [fetchRef]);
  const timelineRef = useRef<TimelineHandle>(null);

  const ws = useWorkspaceDoc(data, fetchRef);
  const { session, sync, snapshot, doc, view, editable, viewDispatch } = ws;
  const player = usePlayerClock({ fps, frameCount, duration });
  const { clock, frame } = player;
  const clusterLabels = data.labels?.clusters ?? NO_LABELS;
  const clues = useClueCommands(ws, player, duration, { width: video.width, height: video.height }, clusterLabels);
  const submit = useSubmit(session, video, urls, csrf, fetchRef);
  const proposals = useProposalCommands(ws, player, timelineRef, urls, csrf, fetchRef, clues.selectedCluster);
  // The box arrives after a wait: it is adopted into the document as it is then, not as it was at the click.
  const adoptLatest = useLatest(proposals.adoptClicked);
  const clickToBox = useClickToBox(urls, csrf, fetchRef, frame, (p) => adoptLatest.current(p),
    (text) => viewDispatch({ type: 'hint', text }), clues.isBoxQuestion, data.click_box_missing ?? '');
  useWorkspaceKeys(ws, player, clues, submit, proposals, clickToBox);

  const title = video.title || `Video ${video.id}`;
  // A reviewer sent the question back and the annotator has not resolved why yet: said at the top, not only in the
  // comments panel below the fold.
  // Only while the question is back in the annotator's hands (not once resubmitted, pooled or decided).
  const backWithAnnotator = editable && ['draft', 'answered'].includes(snapshot.server.state);
  const sentBack = backWithAnnotator
    ? [...view.comments].reverse().find((c) => c.review_decision === 'send_back' && c.resolved_at === null)
    : undefined;
  // Who holds the question, as the server last said (in a 409's newer document, if there is one).
  const held = snapshot.conflict?.current ?? snapshot.server;
  const takeOverNow = async () => {
    if (urls.take_over === undefined) return;
    viewDispatch({ type: 'submitStarted' });
    const result = await takeOver(fetchRef.current, urls.take_over, csrf);
    viewDispatch({ type: 'submitEnded' });
    if (result.kind === 'ok') sync.adopt(result.doc);
    else viewDispatch({ type: 'submitRefused', message: result.message });
  };
  const selectKey = (key: string | null) => viewDispatch({ type: 'select', key });
  const pauseAndSeek = (t: number) => {
    player.pause();
    player.seekTo(t);
  };
  // A comment's marker is not selected: clicking it goes to the comment's time.
  const selectRegion = (key: string | null) => {
    const comment = view.comments.find((c) => `comment-${c.id}` === key);
    const at = comment === undefined ? null : anchorTime(comment, fps);
    if (at !== null) pauseAndSeek(at);
    else selectKey(key);
  };

  const { ref_start: refStart, ref_end: refEnd, clues: clueList, clusters } = doc;
  const { ghosts } = proposals;
  const regions = useMemo(
    () => [...timelineRegions({ ref_start: refStart, ref_end: refEnd, clues: clueList }, view.comments, fps, editable), ...ghosts],
    [refStart, refEnd, clueList, view.comments, fps, editable, ghosts],
  );
  const colors = useMemo(() => clusterColors({ clusters }), [clusters]);
  const { open: openList } = proposals;
  const boxes = useMemo(
    () => [...canvasBoxes(doc, frame, colors), ...ghostBoxes(openList, frame)],
    [doc, frame, colors, openList],
  );
  const errors = useMemo(
    () => ({ ...validateDoc(doc, video), ...snapshot.errors, ...view.submitErrors }),
    [doc, video, snapshot.errors, view.submitErrors],
  );

  const canvas = clues.isBoxQuestion ? (
    <BoxCanvas
      imageUrl={clock.playing ? null : frameUrl(video.frame_url_template, frame)}
      frameWidth={video.width}
      frameHeight={video.height}
      boxes={boxes}
      selectedKey={view.selectedKey}
      drawColor={drawColor(doc, clues.selectedCluster, colors)}
      disabled={clock.playing || !editable}
      onSelect={selectKey}
      onCreate={clues.createBox}
      onChange={clues.changeBox}
      onDelete={clues.deleteBox}
      nudgeKey="alt"
      onPointClick={clickToBox.armed && editable ? (p) => void clickToBox.click(p) : undefined}
      busy={clickToBox.busy ? 'finding the box…' : null}
    />
  ) : undefined;

  return (
    <div className="ws">
      <WorkspaceHeader
        title={title}
        doc={doc}
        snapshot={snapshot}
        fps={fps}
        // Read in render: it changes only with the document or with the snapshot, both of which re-render.
        dirty={sync.dirty}
        savable={sync.editable}
        editable={editable}
        canUndo={canUndo(ws.docState)}
        canRedo={canRedo(ws.docState)}
        submitting={view.submitting}
        onUndo={ws.undo}
        onRedo={ws.redo}
        onSubmit={() => void submit()}
      />
      <WorkspaceNotices
        doc={doc}
        base={mergeBaseOf(ws.docState)}
        snapshot={snapshot}
        fps={fps}
        submitMessage={view.submitMessage}
        outcome={view.outcome}
        nextUrl={urls.next}
        locked={sync.locked}
        submitting={view.submitting}
        heldBy={held.held_by ?? null}
        canTakeOver={held.can_take_over === true && urls.take_over !== undefined}
        onTakeOver={() => void takeOverNow()}
        onReapply={ws.reapply}
        onDiscard={ws.discard}
      />
      {sentBack !== undefined && (
        <p className="ws-sent-back" role="status" data-testid="sent-back" title={sentBack.text}>
          <strong>Sent back by {sentBack.author_name || 'a reviewer'}:</strong> “{sentBack.text}”{' '}
          <button
            type="button"
            className="ws-link"
            onClick={() => {
              const at = anchorTime(sentBack, fps);
              if (at !== null) {
                player.pause();
                player.seekTo(at);
              }
              const panel = document.querySelector<HTMLElement>('section.ws-comments');
              if (typeof panel?.scrollIntoView === 'function') panel.scrollIntoView({ block: 'nearest' });
            }}
          >
            Go to the comment
          </button>
        </p>
      )}

      <div className="ws-layout">
        <section className="ws-media-pane" aria-label="Video">
          <Player {...playerPropsOf(video, player, title)} overlay={canvas} />
          <Timeline
            ref={timelineRef}
            {...timelineMediaOf(video, player)}
            regions={regions}
            selectedKey={view.selectedKey}
            onSelect={selectRegion}
            onRegionChange={clues.changeRegion}
            onSeek={player.seekTo}
          />
          <p className="ws-hint" role="status">
            {view.hint}
          </p>
          <ShortcutHelp prefix="ws" items={SHORTCUT_HELP} />
        </section>

        <section className="ws-side-pane" aria-label="Annotation">
          <DraftForm
            doc={doc}
            errors={errors}
            state={snapshot.server.state}
            version={snapshot.version}
            disabled={!editable}
            onChange={clues.changeDraft}
            onSetFromPlayer={clues.setRefFromPlayer}
            onSeek={player.seekTo}
          />
          {clues.isBoxQuestion && clickToBox.available && (
            <div className="ws-click-to-box" data-testid="click-to-box">
              <button
                type="button"
                className={clickToBox.armed ? 'ws-toggle is-on' : 'ws-toggle'}
                aria-pressed={clickToBox.armed}
                disabled={!editable}
                onClick={clickToBox.toggle}
                title="c"
              >
                Click-to-box {clickToBox.armed ? 'on' : 'off'}
              </button>
              <span className="ws-muted"> {clickToBox.armed ? 'click an object on the paused frame' : 'press c, then click an object'}</span>
            </div>
          )}
          {urls.proposals !== undefined &&
            (doc.category === 'event' || proposals.open.length > 0 || proposals.computing || proposals.canRequest ||
              proposals.unavailable !== null) && (
            <ProposalPanel
              open={proposals.open}
              selectedId={proposals.selected?.id ?? null}
              computing={proposals.computing}
              canRequest={proposals.canRequest}
              unavailable={proposals.unavailable}
              error={proposals.error}
              threshold={proposals.threshold}
              disabled={!editable}
              onThreshold={proposals.setThreshold}
              onSelect={proposals.goTo}
              onAccept={proposals.accept}
              onReject={proposals.reject}
              onAcceptAll={proposals.acceptAll}
              onRequest={() => void proposals.request()}
            />
          )}
          <CluePanel
            doc={doc}
            errors={errors}
            fps={fps}
            selectedKey={view.selectedKey}
            selectedCluster={clues.selectedCluster}
            pendingStart={view.pendingStart}
            disabled={!editable}
            onSelect={selectKey}
            onSeek={player.seekTo}
            onSeekFrame={player.seekFrame}
            onUpdateEvent={clues.updateEvent}
            onRemoveClue={clues.removeClueAt}
            onStartEvent={clues.startEvent}
            onEndEvent={clues.endEvent}
            onAddCluster={clues.addNewCluster}
            onRenameCluster={clues.renameClusterAt}
            onRecolorCluster={clues.recolorClusterAt}
            onRemoveCluster={clues.removeClusterAt}
            onSelectCluster={(name) => viewDispatch({ type: 'clusterChosen', name })}
            onRemoveOtherKinds={clues.removeOtherKinds}
            clusterLabels={clusterLabels}
          />
          <CommentsPanel
            questionId={snapshot.server.id}
            comments={view.comments}
            onChange={(update) => viewDispatch({ type: 'comments', update })}
            addUrl={urls.comments ?? null}
            resolveUrl={urls.comment_resolve ?? null}
            csrfToken={csrf}
            fetchImpl={commentsFetch}
            canComment={data.can_comment === true}
            anchor={clues.isBoxQuestion ? { frame_index: frame } : { time: clampMs(clock.time, duration) }}
            onSeek={pauseAndSeek}
            onSeekFrame={player.seekFrame}
          />
        </section>
      </div>
    </div>
  );
}
