import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { UNSAVED_STATUSES } from '../shared/autosave';
import { useKeyCommands, useLatest, useSaveOnLeave } from '../shared/hooks';
import { saveDoc, submitDoc } from './api';
import { BoxCanvas, type CanvasBox } from './canvas/BoxCanvas';
import { CluePanel } from './CluePanel';
import { anchorTime } from './comments';
import { CommentsPanel } from './CommentsPanel';
import { ConflictPanel } from './ConflictPanel';
import {
  addClue,
  addCluster,
  boxClue,
  boxesOnFrame,
  clueCount,
  clueKey,
  editableOf,
  eventClue,
  finalInterval,
  normalBox,
  OBJECT_COLOR,
  PALETTE,
  parseClueKey,
  recolorCluster,
  refOf,
  removeClue,
  removeCluster,
  renameCluster,
  sameDoc,
  updateClue,
  validateDoc,
  validateForSubmit,
  type Box,
  type DocErrors,
  type EditableDoc,
} from './doc';
import { DraftForm, type DraftField } from './DraftForm';
import { History } from './history';
import { commandForKey, isTypingTarget, SHORTCUT_HELP, type Command } from './keyboard';
import { clearLocal, loadLocal, recoveryFor, saveLocal } from './persistence';
import { Player, useMediaClock } from './Player';
import { DocSync, isEditable, type SaveStatus, type SyncSnapshot } from './sync';
import { clampMs, clampTime, formatInterval, formatTime, frameAt, frameUrl, stepFrame, timeOfFrame } from './time';
import { Timeline, type TimelineHandle, type TimelineRegion } from './timeline/Timeline';
import type { CommentInfo, QuestionDoc, SubmitResult, WorkspaceData } from './types';

export interface WorkspaceAppProps {
  data: WorkspaceData;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/** The reference interval's colour on the timeline. */
const REF_COLOR = '#808080';
/** Open comments are markers of this colour on the timeline. */
const COMMENT_COLOR = '#d97706';

function statusText(snapshot: SyncSnapshot, dirty: boolean, editable: boolean): string {
  if (!editable) return 'Read only';
  const texts: Record<SaveStatus, string> = {
    saved: dirty ? 'Unsaved changes' : 'Saved',
    pending: 'Unsaved changes',
    saving: 'Saving…',
    offline: 'Offline — changes kept in this browser',
    conflict: 'Not saved: the question changed on the server',
    invalid: 'Not saved: fix the marked problems (kept in this browser)',
    error: `Not saved: ${snapshot.message ?? 'the server refused'} (kept in this browser)`,
  };
  return texts[snapshot.status];
}

/** The sentence that tells the annotator where the submitted question went. */
export function outcomeText(result: SubmitResult, fps: number): string {
  const q = result.question;
  if (result.outcome === 'agreement') return 'Second pass recorded for the agreement score';
  if (result.outcome === 'pooled') {
    const final = finalInterval(refOf(q), q.clues, fps);
    return final === null
      ? 'In the pool'
      : `In the pool, final interval ${formatTime(final.start)}–${formatTime(final.end)}`;
  }
  const count = q.drafted_answer === null ? '–' : String(q.drafted_answer);
  return `Sent to arbitration: ${clueCount(q)} clues for a count of ${count}`;
}

interface Session {
  history: History<EditableDoc>;
  sync: DocSync;
  /** A journal made on the version the server still has, to save again once mounted. */
  resend: boolean;
}

function startSession(data: WorkspaceData, fetchRef: { current: typeof fetch }): Session {
  const { question, urls, csrf_token: csrf, can_annotate: canAnnotate } = data;
  const server = editableOf(question);
  // A journal is recovered only into a question that can still be edited; otherwise the server's
  // document is shown and the journal is left alone.
  const canRecover = canAnnotate && isEditable(question);
  const recovery = canRecover
    ? recoveryFor(loadLocal(question.id), question, (d) => sameDoc(d, server))
    : ({ kind: 'none' } as const);
  const history = new History<EditableDoc>(recovery.kind === 'none' ? server : recovery.doc, { equals: sameDoc });
  const sync = new DocSync(question, {
    save: (version, doc, options) => saveDoc(fetchRef.current, urls.save, csrf, version, doc, options),
    getDoc: () => history.present,
    journal: {
      save: (baseVersion, doc) => saveLocal(question.id, baseVersion, doc),
      clear: () => clearLocal(question.id),
    },
    canAnnotate,
  });
  if (recovery.kind === 'conflict') {
    sync.enterConflict(
      question,
      `Changes kept in this browser were made on version ${recovery.baseVersion}; the server has version ${question.version}.`,
      recovery.baseVersion,
    );
  } else if (recovery.kind === 'none' && canRecover) {
    clearLocal(question.id);
  }
  return { history, sync, resend: recovery.kind === 'reapply' };
}

/**
 * The annotation workspace of one question (stages 2 and 3): the proxy video
 * with frame-accurate controls, the timeline of regions under it, the exact
 * frame with its boxes over it while paused, the drafted answer and reference
 * interval, and the clues of the question's category. Every change is
 * undoable, journaled in the browser and autosaved with the version it was
 * made on; a 409 shows both versions and lets the annotator choose.
 */
export function WorkspaceApp({ data, fetchImpl }: WorkspaceAppProps) {
  const { video, urls, csrf_token: csrf } = data;
  const { fps, frame_count: frameCount, duration } = video;
  const fetchRef = useLatest<typeof fetch>(fetchImpl ?? defaultFetch);

  const [session] = useState(() => startSession(data, fetchRef));
  const { history, sync } = session;
  const snapshot = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  const [doc, setDoc] = useState(history.present);

  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  const clock = useMediaClock(media);
  const timelineRef = useRef<TimelineHandle>(null);

  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [clusterChoice, setClusterChoice] = useState<string | null>(null);
  const [pendingStart, setPendingStart] = useState<number | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitErrors, setSubmitErrors] = useState<DocErrors>({});
  const [submitMessage, setSubmitMessage] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SubmitResult | null>(null);
  const submitBusy = useRef(false);
  const [comments, setComments] = useState<CommentInfo[]>(() => data.comments ?? []);
  const commentsFetch = useMemo<typeof fetch>(() => (input, init) => fetchRef.current(input, init), []);

  const server: QuestionDoc = snapshot.server;
  const editable = sync.editable && !submitting;
  // Read in render: it changes only with the document or with the snapshot, both of which re-render.
  const dirty = sync.dirty;
  const isBoxQuestion = doc.category === 'object' || doc.category === 'attribute';
  const selectedCluster =
    doc.clusters.find((c) => c.name === clusterChoice)?.name ?? doc.clusters[0]?.name ?? null;

  useEffect(() => {
    sync.start();
    if (session.resend) sync.changed();
    return () => sync.dispose();
  }, [session, sync]);

  // Save at once when the annotator leaves the tab or the window; retry when the network is back;
  // warn before leaving while work is not on the server yet.
  useSaveOnLeave(sync, () => UNSAVED_STATUSES.includes(sync.getSnapshot().status) || sync.dirty);

  /** Records an edit: one undo step (or part of the step of the same field being typed). */
  const commit = (next: EditableDoc, key: string | null = null) => {
    if (!editable) return;
    history.push(next, key);
    setDoc(history.present);
    setSubmitErrors({});
    sync.changed();
  };

  const showHistory = (next: EditableDoc | null) => {
    if (next === null) return;
    setDoc(next);
    const index = parseClueKey(selectedKey);
    if (index !== null && index >= next.clues.length) setSelectedKey(null);
    sync.changed();
  };
  const undo = () => {
    if (editable) showHistory(history.undo());
  };
  const redo = () => {
    if (editable) showHistory(history.redo());
  };

  // Playback.
  const now = () => clampMs(media?.currentTime ?? clock.time, duration);
  const seekTo = (t: number) => {
    if (media === null) return;
    const target = clampTime(t, duration);
    media.currentTime = target;
    clock.setTime(target);
  };
  const pause = () => {
    media?.pause();
    clock.setPlaying(false);
  };
  const togglePlay = () => {
    if (media === null) return;
    if (clock.playing) {
      pause();
      // Paused mid-playback, the picture can be a frame ahead of currentTime: settle on the middle
      // of the frame the position shows, so the picture, the index and the exact frame agree.
      seekTo(timeOfFrame(frameAt(media.currentTime, fps, frameCount), fps));
      return;
    }
    clock.setPlaying(true);
    const played = media.play() as Promise<void> | undefined;
    played?.catch?.(() => clock.setPlaying(false));
  };
  const frameStep = (delta: -1 | 1) => {
    if (media === null) return;
    pause();
    seekTo(stepFrame(media.currentTime, delta, fps, frameCount));
  };
  const seekBy = (seconds: number) => seekTo((media?.currentTime ?? clock.time) + seconds);
  const seekFrame = (index: number) => {
    pause();
    seekTo(timeOfFrame(index, fps));
  };
  const setRate = (rate: number) => {
    if (media !== null) media.playbackRate = rate;
  };
  const frame = frameAt(clock.time, fps, frameCount);

  // Stage 2.
  const changeDraft = (patch: Partial<EditableDoc>, field: DraftField) => commit({ ...doc, ...patch }, field);
  const setRefFromPlayer = (field: 'ref_start' | 'ref_end') => commit({ ...doc, [field]: now() });

  // Events.
  const startEvent = () => {
    if (!editable) return;
    if (doc.category !== 'event') {
      setHint('Only event questions have event clues.');
      return;
    }
    setPendingStart(now());
    setHint(null);
  };
  const endEvent = () => {
    if (!editable || doc.category !== 'event') return;
    if (pendingStart === null) {
      setHint('Press i at the start of the event first, then o at its end.');
      return;
    }
    const end = now();
    if (end === pendingStart) {
      setHint('The event has no length yet: move the playhead, then press o.');
      return;
    }
    commit(addClue(doc, eventClue(pendingStart, end)));
    setSelectedKey(clueKey(doc.clues.length));
    setPendingStart(null);
    setHint(null);
  };
  const updateEvent = (index: number, patch: { start?: number; end?: number }, field: string) =>
    commit(updateClue(doc, index, patch), `clues[${index}].${field}`);
  const removeClueAt = (index: number) => {
    commit(removeClue(doc, index));
    setSelectedKey(null);
  };
  const deleteSelected = () => {
    const index = parseClueKey(selectedKey);
    if (index !== null && editable) removeClueAt(index);
  };

  // Boxes.
  const clusterColor = useMemo(() => new Map(doc.clusters.map((c) => [c.name, c.color])), [doc.clusters]);
  const createBox = (box: Box) => {
    if (!editable || clock.playing) return;
    if (!isBoxQuestion) {
      setHint('Only object and attribute questions have boxes.');
      return;
    }
    const rounded = normalBox(box);
    if (!(rounded.x2 > rounded.x1 && rounded.y2 > rounded.y1)) return;
    if (doc.category === 'attribute') {
      if (selectedCluster === null) {
        setHint('Add a cluster first: every box of an attribute question belongs to a cluster.');
        return;
      }
      commit(addClue(doc, boxClue('attribute', frame, rounded, selectedCluster)));
    } else {
      commit(addClue(doc, boxClue('object', frame, rounded)));
    }
    setSelectedKey(clueKey(doc.clues.length));
    setHint(null);
  };
  const changeBox = (key: string, box: Box) => {
    const index = parseClueKey(key);
    if (index === null) return;
    commit(updateClue(doc, index, normalBox(box)), `box:${key}`);
  };
  const deleteBox = (key: string) => {
    const index = parseClueKey(key);
    if (index !== null) removeClueAt(index);
  };

  // Clusters.
  const addNewCluster = () => {
    const next = addCluster(doc);
    commit(next);
    setClusterChoice(next.clusters.at(-1)?.name ?? null);
    setHint(null);
  };
  const renameClusterAt = (index: number, name: string) => {
    const before = doc.clusters[index]?.name;
    const next = renameCluster(doc, index, name);
    commit(next, null);
    if (before !== undefined && before === selectedCluster) setClusterChoice(next.clusters[index]?.name ?? null);
  };
  const removeClusterAt = (index: number) => {
    commit(removeCluster(doc, index));
    setSelectedKey(null);
  };
  const nextCluster = () => {
    if (doc.category !== 'attribute') return;
    if (doc.clusters.length === 0) {
      setHint('No clusters yet: add one first.');
      return;
    }
    const at = doc.clusters.findIndex((c) => c.name === selectedCluster);
    setClusterChoice(doc.clusters[(at + 1) % doc.clusters.length]?.name ?? null);
  };

  // Timeline.
  const regions = useMemo<TimelineRegion[]>(() => {
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
      list.push({
        key: clueKey(index),
        start: clue.start,
        end: clue.end,
        color: PALETTE[(n - 1) % PALETTE.length]!,
        label: `#${n}`,
        editable,
      });
    });
    return list;
  }, [doc.ref_start, doc.ref_end, doc.clues, editable, comments, fps]);
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

  // Canvas.
  const canvasBoxes = useMemo<CanvasBox[]>(() => {
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
      color: clue.kind === 'attribute' ? (clusterColor.get(clue.cluster) ?? OBJECT_COLOR) : OBJECT_COLOR,
      label: clue.kind === 'attribute' ? clue.cluster : `#${objectNumbers.get(index) ?? '?'}`,
    }));
  }, [doc, frame, clusterColor]);
  const drawColor =
    doc.category === 'attribute' && selectedCluster !== null ? (clusterColor.get(selectedCluster) ?? OBJECT_COLOR) : OBJECT_COLOR;

  // Conflict.
  const reapply = () => void sync.reapply();
  const discard = () => {
    const theirs = sync.discard();
    if (theirs === null) return;
    history.reset(theirs);
    setDoc(theirs);
    setSelectedKey(null);
    setPendingStart(null);
  };

  // Submit.
  const submit = async () => {
    if (!sync.editable || submitBusy.current) return;
    const problems = validateForSubmit(history.present, video);
    if (Object.keys(problems).length > 0) {
      setSubmitErrors(problems);
      setSubmitMessage('Not submitted: fix the marked problems first.');
      return;
    }
    submitBusy.current = true;
    setSubmitting(true);
    setSubmitMessage(null);
    try {
      if (!(await sync.settle())) {
        const status = sync.getSnapshot().status;
        setSubmitMessage(
          status === 'conflict'
            ? 'Not submitted: choose between the two versions first.'
            : status === 'offline'
              ? 'Offline: not submitted. Your changes are kept in this browser; submit again when connected.'
              : 'Not submitted: the changes could not be saved first.',
        );
        return;
      }
      const result = await submitDoc(fetchRef.current, urls.submit, csrf, sync.getSnapshot().baseVersion);
      switch (result.kind) {
        case 'ok': {
          const q = result.result.question;
          sync.adopt(q);
          history.reset(editableOf(q));
          setDoc(history.present);
          setOutcome(result.result);
          setPendingStart(null);
          break;
        }
        case 'conflict':
          sync.enterConflict(result.current, result.message);
          setSubmitMessage('Not submitted: the question changed on the server.');
          break;
        case 'error':
          setSubmitErrors(result.errors);
          setSubmitMessage(`Not submitted: ${result.message}`);
          break;
        case 'offline':
          setSubmitMessage('Offline: not submitted. Your changes are kept in this browser; submit again when connected.');
          break;
      }
    } finally {
      submitBusy.current = false;
      setSubmitting(false);
    }
  };

  // Keyboard.
  const run = (command: Command, target: EventTarget | null) => {
    switch (command.type) {
      case 'togglePlay':
        togglePlay();
        break;
      case 'frameStep':
        frameStep(command.delta);
        break;
      case 'seekBy':
        seekBy(command.seconds);
        break;
      case 'setRefStart':
        setRefFromPlayer('ref_start');
        break;
      case 'setRefEnd':
        setRefFromPlayer('ref_end');
        break;
      case 'eventStart':
        startEvent();
        break;
      case 'eventEnd':
        endEvent();
        break;
      case 'deleteSelected':
        deleteSelected();
        break;
      case 'undo':
        undo();
        break;
      case 'redo':
        redo();
        break;
      case 'nextCluster':
        nextCluster();
        break;
      case 'submit':
        void submit();
        break;
      case 'escape':
        if (isTypingTarget(target) && target instanceof HTMLElement) {
          target.blur();
        } else {
          setSelectedKey(null);
          setPendingStart(null);
          setHint(null);
        }
        break;
    }
  };
  useKeyCommands(commandForKey, run);

  // A comment's marker is not selected: clicking it goes to the comment's time.
  const selectRegion = (key: string | null) => {
    const comment = comments.find((c) => `comment-${c.id}` === key);
    const at = comment === undefined ? null : anchorTime(comment, fps);
    if (at !== null) {
      pause();
      seekTo(at);
      return;
    }
    setSelectedKey(key);
  };

  const errors = useMemo<DocErrors>(
    () => ({ ...validateDoc(doc, video), ...snapshot.errors, ...submitErrors }),
    [doc, video, snapshot.errors, submitErrors],
  );
  const count = clueCount(doc);
  const counted = doc.clues.filter((c) => c.kind === doc.category);
  const final = finalInterval(refOf(doc), counted, fps);
  const ref = refOf(doc);
  const widened = final !== null && ref !== null && (final.start < ref.start || final.end > ref.end);
  const conflict = snapshot.conflict;

  const canvas = isBoxQuestion ? (
    <BoxCanvas
      imageUrl={clock.playing ? null : frameUrl(video.frame_url_template, frame)}
      frameWidth={video.width}
      frameHeight={video.height}
      boxes={canvasBoxes}
      selectedKey={selectedKey}
      drawColor={drawColor}
      disabled={clock.playing || !editable}
      onSelect={setSelectedKey}
      onCreate={createBox}
      onChange={changeBox}
      onDelete={deleteBox}
    />
  ) : undefined;

  return (
    <div className="ws">
      <header className="ws-header">
        <h2 className="ws-title">
          {video.title || `Video ${video.id}`} <span className="ws-muted">· question #{server.id}</span>
        </h2>
        <span className={`ws-save ws-save-${snapshot.status}`} data-testid="save-status" role="status">
          {statusText(snapshot, dirty, sync.editable)}
        </span>
        <span
          className={count === doc.drafted_answer ? 'ws-count' : 'ws-count ws-count-mismatch'}
          data-testid="running-count"
        >
          Clues: {count} / Count: {doc.drafted_answer ?? '–'}
        </span>
        <span className="ws-final" data-testid="final-interval">
          Final interval: {final === null ? '–' : formatInterval(final.start, final.end)}
          {widened && <span className="ws-muted"> (the clues widen the reference)</span>}
        </span>
        <span className="ws-header-actions">
          <button type="button" onClick={undo} disabled={!editable || !history.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!editable || !history.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button
            type="button"
            className="ws-primary"
            onClick={() => void submit()}
            disabled={!editable}
            title="Save and submit (Ctrl+Enter)"
          >
            {submitting ? 'Submitting…' : 'Submit'}
          </button>
        </span>
      </header>

      {snapshot.status === 'invalid' && snapshot.message !== null && (
        <p className="ws-error" role="alert">
          {snapshot.message}
        </p>
      )}
      {submitMessage !== null && (
        <p className="ws-error" role="alert">
          {submitMessage}
        </p>
      )}
      {outcome !== null && (
        <div className={`ws-outcome ws-outcome-${outcome.outcome}`} role="status" data-testid="outcome">
          <p>
            <strong>{outcomeText(outcome, fps)}</strong>
            {outcome.message !== '' && <span className="ws-muted"> · {outcome.message}</span>}
          </p>
          <a href={urls.next}>Next question</a>
        </div>
      )}
      {sync.locked && (
        <p className="ws-error" role="alert" data-testid="locked-notice">
          This question was submitted or is under review; it can no longer be edited here.
        </p>
      )}
      {conflict !== null && (
        <ConflictPanel
          mine={doc}
          theirs={conflict.current}
          message={conflict.message}
          busy={submitting}
          canReapply={!sync.locked}
          onReapply={reapply}
          onDiscard={discard}
        />
      )}

      <div className="ws-layout">
        <section className="ws-media-pane" aria-label="Video">
          <Player
            src={video.proxy_url}
            label={video.title || `Video ${video.id}`}
            fps={fps}
            frameCount={frameCount}
            width={video.width}
            height={video.height}
            clock={clock}
            onMedia={setMedia}
            onTogglePlay={togglePlay}
            onFrameStep={frameStep}
            onSeekBy={seekBy}
            onRate={setRate}
            overlay={canvas}
          />
          <Timeline
            ref={timelineRef}
            duration={duration}
            fps={fps}
            peaksUrl={video.peaks_url}
            spectrogramUrl={video.spectrogram_url}
            thumbnailsUrl={video.thumbnails_url}
            thumbnailsIndex={video.thumbnails_index}
            media={media}
            regions={regions}
            selectedKey={selectedKey}
            onSelect={selectRegion}
            onRegionChange={changeRegion}
          />
          <p className="ws-hint" role="status">
            {hint}
          </p>
          <p className="ws-help">
            <span className="ws-help-title">Keys:</span>{' '}
            {SHORTCUT_HELP.map(([keys, what]) => (
              <span key={keys} className="ws-help-item">
                <kbd>{keys}</kbd> {what}
              </span>
            ))}
          </p>
        </section>

        <section className="ws-side-pane" aria-label="Annotation">
          <DraftForm
            doc={doc}
            errors={errors}
            state={server.state}
            version={snapshot.baseVersion}
            disabled={!editable}
            onChange={changeDraft}
            onSetFromPlayer={setRefFromPlayer}
            onSeek={seekTo}
          />
          <CluePanel
            doc={doc}
            errors={errors}
            fps={fps}
            selectedKey={selectedKey}
            selectedCluster={selectedCluster}
            pendingStart={pendingStart}
            disabled={!editable}
            onSelect={setSelectedKey}
            onSeek={seekTo}
            onSeekFrame={seekFrame}
            onUpdateEvent={updateEvent}
            onRemoveClue={removeClueAt}
            onStartEvent={startEvent}
            onEndEvent={endEvent}
            onAddCluster={addNewCluster}
            onRenameCluster={renameClusterAt}
            onRecolorCluster={(index, color) => commit(recolorCluster(doc, index, color), `clusters[${index}].color`)}
            onRemoveCluster={removeClusterAt}
            onSelectCluster={setClusterChoice}
            onRemoveOtherKinds={() => {
              commit({ ...doc, clues: doc.clues.filter((c) => c.kind === doc.category) });
              setSelectedKey(null);
            }}
          />
          <CommentsPanel
            questionId={server.id}
            comments={comments}
            onChange={setComments}
            addUrl={urls.comments ?? null}
            resolveUrl={urls.comment_resolve ?? null}
            csrfToken={csrf}
            fetchImpl={commentsFetch}
            canComment={data.can_comment === true}
            anchor={isBoxQuestion ? { frame_index: frame } : { time: clampMs(clock.time, duration) }}
            onSeek={(t) => {
              pause();
              seekTo(t);
            }}
            onSeekFrame={seekFrame}
          />
        </section>
      </div>
    </div>
  );
}
