import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { UNSAVED_STATUSES } from '../shared/autosave';
import { useKeyCommands, useLatest, useSaveOnLeave } from '../shared/hooks';
import type { Box } from '../workspace/canvas/geometry';
import { BoxCanvas, type CanvasBox } from '../workspace/canvas/BoxCanvas';
import { formatInterval, frameUrl } from '../workspace/time';
import { loadEventDoc, saveEventDoc } from './api';
import { BoxList } from './BoxList';
import { ConflictPanel } from './ConflictPanel';
import { Filmstrip } from './Filmstrip';
import { formatScore, formatSeconds, withAlpha } from './format';
import { commandForKey, isTypingTarget, KEEP_FOCUS, SHORTCUT_HELP, type Command } from './keyboard';
import { nameInputId, ObjectPanel } from './ObjectPanel';
import { boxesAt, canRedo, canUndo, findBox, findObject, isDirty, isEdited, validate, type ReviewAction } from './state';
import { ReviewStore } from './store';
import { ReviewSync, type SaveStatus, type SyncSnapshot } from './sync';
import type { EventDoc, EventReviewData } from './types';

export interface EventReviewAppProps {
  data: EventReviewData;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Goes to another page (next / previous event); injected for tests. */
  navigate?: (url: string) => void;
}

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);
const defaultNavigate = (url: string) => window.location.assign(url);

/** The opacity of the boxes of objects other than the selected one. */
const DIMMED = 0.55;

export function statusText(snapshot: SyncSnapshot, dirty: boolean): string {
  if (!snapshot.server.editable) return 'Read only';
  const texts: Record<SaveStatus, string> = {
    saved: dirty ? 'Unsaved changes' : 'Saved',
    pending: 'Unsaved changes',
    saving: snapshot.accepting ? 'Accepting…' : 'Saving…',
    offline: 'Offline: will retry',
    conflict: 'Not saved: changed on the server',
    invalid: 'Not saved: fix the marked problems',
    error: 'Not saved: error',
  };
  return texts[snapshot.status];
}

/** The machine-readable save state (`data-status`): the status, "pending" for edits not sent yet, "readonly". */
export function statusCode(snapshot: SyncSnapshot, dirty: boolean): SaveStatus | 'readonly' {
  if (!snapshot.server.editable) return 'readonly';
  return snapshot.status === 'saved' && dirty ? 'pending' : snapshot.status;
}

/**
 * The R-AVST event review page: loads the document when the page did not
 * pass it, then shows the editor.
 */
export function EventReviewApp({ data, fetchImpl, navigate }: EventReviewAppProps) {
  const [doc, setDoc] = useState<EventDoc | null>(data.doc);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (doc !== null) return undefined;
    let live = true;
    void loadEventDoc(fetchImpl ?? defaultFetch, data.doc_url).then((result) => {
      if (!live) return;
      if (result.kind === 'ok') setDoc(result.doc);
      else setError(result.message);
    });
    return () => {
      live = false;
    };
  }, [doc, data.doc_url, fetchImpl]);
  if (doc === null) {
    return (
      <div className="er" data-testid="eventreview">
        {error === null ? (
          <p className="er-muted" role="status" data-testid="loading">
            Loading the event…
          </p>
        ) : (
          <p className="er-error" role="alert" data-testid="load-error">
            {error}
          </p>
        )}
      </div>
    );
  }
  return <EventReviewEditor doc={doc} docUrl={data.doc_url} csrf={data.csrf_token} fetchImpl={fetchImpl} navigate={navigate} />;
}

interface EditorProps {
  doc: EventDoc;
  docUrl: string;
  csrf: string;
  fetchImpl?: typeof fetch;
  navigate?: (url: string) => void;
}

/**
 * The editor of one event: the frame of the second shown with its boxes over
 * it (draw, move, resize, delete), the filmstrip of the sampled seconds, the
 * objects (rename, audibility, add, remove) and the boxes of the second. Every
 * change is undoable and autosaved with the version it was made on; a 409
 * shows both versions and lets the reviewer choose; "Accept event" saves with
 * `accept: true`.
 */
function EventReviewEditor({ doc, docUrl, csrf, fetchImpl, navigate }: EditorProps) {
  const fetchRef = useLatest<typeof fetch>(fetchImpl ?? defaultFetch);
  const go = navigate ?? defaultNavigate;

  const [session] = useState(() => {
    const store = new ReviewStore(doc);
    const sync = new ReviewSync(doc, {
      store,
      save: (body, options) => saveEventDoc(fetchRef.current, docUrl, csrf, body, options),
    });
    return { store, sync };
  });
  const { store, sync } = session;
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const snapshot = useSyncExternalStore(sync.subscribe, sync.getSnapshot);
  const server = snapshot.server;
  const { video, event, seconds } = server;
  const present = state.present;
  const dirty = isDirty(state);
  const editable = sync.editable && !snapshot.accepting;

  const [secondIndex, setSecondIndex] = useState(0);
  const [objectChoice, setObjectChoice] = useState<string | null>(null);
  const [boxChoice, setBoxChoice] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [focusName, setFocusName] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);

  const current = Math.min(secondIndex, Math.max(0, seconds.length - 1));
  const second = seconds[current] ?? null;
  const frame = second?.frame_index ?? null;
  const selectedObject = findObject(present, objectChoice) ?? present.objects[0];
  const selectedObjectKey = selectedObject?.key ?? null;
  const selectedBoxOwner = findBox(present, boxChoice);
  const selectedBoxKey =
    selectedBoxOwner !== undefined && selectedBoxOwner.box.frame_index === frame ? selectedBoxOwner.box.key : null;
  const items = useMemo(() => (frame === null ? [] : boxesAt(present, frame)), [present, frame]);

  useEffect(() => {
    sync.start();
    return () => sync.dispose();
  }, [sync]);

  // Save at once when the reviewer leaves the tab or the window; retry when the network is back;
  // warn before leaving while an editable event's work is not on the server yet.
  useSaveOnLeave(
    sync,
    () => sync.editable && (UNSAVED_STATUSES.includes(sync.getSnapshot().status) || isDirty(store.getState())),
  );

  // `r` and a new object: the name field takes the focus once it is rendered.
  useEffect(() => {
    if (focusName === null) return;
    const input = document.getElementById(nameInputId(focusName));
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
    setFocusName(null);
  }, [focusName]);

  /** Applies an edit (when editable): the autosave follows. */
  const apply = (action: ReviewAction): boolean => {
    if (!editable) return false;
    const changed = store.dispatch(action);
    if (changed) {
      sync.changed();
      setHint(null);
    }
    return changed;
  };

  // Seconds.
  const showSecond = (index: number) => {
    if (seconds.length === 0) return;
    setSecondIndex(Math.min(Math.max(index, 0), seconds.length - 1));
    setBoxChoice(null);
  };

  // Selection.
  const selectObject = (objectKey: string) => {
    setObjectChoice(objectKey);
    if (selectedBoxOwner !== undefined && selectedBoxOwner.object.key !== objectKey) setBoxChoice(null);
  };
  const selectBox = (boxKey: string | null) => {
    setBoxChoice(boxKey);
    const owner = findBox(present, boxKey);
    if (owner !== undefined) setObjectChoice(owner.object.key);
  };
  const goToBox = (boxKey: string) => {
    const owner = findBox(present, boxKey);
    if (owner === undefined) return;
    const index = seconds.findIndex((s) => s.frame_index === owner.box.frame_index);
    if (index >= 0) setSecondIndex(index);
    setBoxChoice(boxKey);
    setObjectChoice(owner.object.key);
  };
  const cycleBox = (delta: -1 | 1) => {
    if (items.length === 0) {
      setHint('No boxes at this second.');
      return;
    }
    const at = items.findIndex((item) => item.box.key === selectedBoxKey);
    const next = at < 0 ? (delta > 0 ? 0 : items.length - 1) : (at + delta + items.length) % items.length;
    selectBox(items[next]!.box.key);
  };

  // Boxes.
  const createBox = (box: Box) => {
    if (!editable || frame === null) return;
    if (selectedObject === undefined) {
      setHint('Add an object first (o): every box belongs to an object.');
      return;
    }
    if (apply({ type: 'addBox', objectKey: selectedObject.key, frameIndex: frame, box })) {
      setBoxChoice(store.getState().created);
    }
  };
  const changeBox = (boxKey: string, box: Box) => {
    apply({ type: 'changeBox', boxKey, box, at: Date.now() });
  };
  const deleteBox = (boxKey: string) => {
    if (apply({ type: 'deleteBox', boxKey })) setBoxChoice(null);
  };
  const deleteSelectedBox = () => {
    if (!editable) return;
    if (selectedBoxKey === null) {
      setHint('Select a box first (click it, or Tab).');
      return;
    }
    deleteBox(selectedBoxKey);
  };

  // Objects.
  const addObject = () => {
    if (apply({ type: 'addObject' })) {
      const key = store.getState().created;
      setObjectChoice(key);
      setBoxChoice(null);
      setFocusName(key);
    }
  };
  const removeObject = (objectKey: string) => {
    if (apply({ type: 'removeObject', objectKey }) && objectKey === selectedObjectKey) {
      setObjectChoice(null);
      setBoxChoice(null);
    }
  };
  const rename = (objectKey: string, name: string) => apply({ type: 'rename', objectKey, name, at: Date.now() });
  const toggleAudibility = (objectKey: string) => apply({ type: 'toggleAudibility', objectKey });

  // History.
  const undo = () => {
    if (!editable) return;
    if (store.dispatch({ type: 'undo' })) sync.changed();
  };
  const redo = () => {
    if (!editable) return;
    if (store.dispatch({ type: 'redo' })) sync.changed();
  };

  // Saving, accepting, leaving.
  const save = () => {
    if (!sync.editable) return;
    if (snapshot.status === 'conflict') {
      setHint('Not saved: choose between the two versions first.');
      return;
    }
    void sync.flush();
  };
  const accept = async () => {
    if (!editable) return;
    setHint(null);
    if (await sync.accept()) return;
    const after = sync.getSnapshot();
    const why: Partial<Record<SaveStatus, string>> = {
      conflict: 'the event changed on the server: choose between the two versions first.',
      invalid: 'fix the marked problems first.',
      offline: 'offline. Your changes are kept on this page; accept again when connected.',
      error: after.message ?? 'the server refused.',
    };
    setHint(`Not accepted: ${why[after.status] ?? 'the changes could not be saved first.'}`);
  };
  const leaveTo = async (url: string | null, which: string) => {
    if (url === null) {
      setHint(`There is no ${which} event.`);
      return;
    }
    if (leaving) return;
    if (sync.editable && (isDirty(store.getState()) || sync.getSnapshot().status !== 'saved')) {
      setLeaving(true);
      const saved = await sync.settle();
      setLeaving(false);
      if (!saved) {
        setHint('Not leaving: the changes are not saved yet.');
        return;
      }
    }
    go(url);
  };

  // Conflict.
  const reapply = () => void sync.reapply();
  const discard = () => {
    if (sync.discard()) setBoxChoice(null);
  };

  // Keyboard.
  const run = (command: Command, target: EventTarget | null) => {
    switch (command.type) {
      case 'second':
        showSecond(current + command.delta);
        break;
      case 'firstSecond':
        showSecond(0);
        break;
      case 'lastSecond':
        showSecond(seconds.length - 1);
        break;
      case 'selectObject': {
        const object = present.objects[command.index];
        if (object === undefined) setHint(`There is no object ${command.index + 1}.`);
        else selectObject(object.key);
        break;
      }
      case 'cycleBox':
        cycleBox(command.delta);
        break;
      case 'deleteBox':
        deleteSelectedBox();
        break;
      case 'toggleAudibility':
        if (selectedObject !== undefined) toggleAudibility(selectedObject.key);
        break;
      case 'rename':
        if (editable && selectedObject !== undefined) setFocusName(selectedObject.key);
        break;
      case 'addObject':
        addObject();
        break;
      case 'nextEvent':
        void leaveTo(server.next_url, 'next');
        break;
      case 'prevEvent':
        void leaveTo(server.prev_url, 'previous');
        break;
      case 'undo':
        undo();
        break;
      case 'redo':
        redo();
        break;
      case 'save':
        save();
        break;
      case 'accept':
        void accept();
        break;
      case 'escape':
        if (isTypingTarget(target) && target instanceof HTMLElement) {
          target.blur();
        } else {
          setBoxChoice(null);
          setHint(null);
        }
        break;
    }
  };
  useKeyCommands(commandForKey, run);

  // Canvas: the selected object's boxes on top and in full colour, the others dimmed.
  const canvasBoxes = useMemo<CanvasBox[]>(() => {
    const ordered = [
      ...items.filter((item) => item.object.key !== selectedObjectKey),
      ...items.filter((item) => item.object.key === selectedObjectKey),
    ];
    return ordered.map(({ object, box }) => {
      const parts = [object.name.trim() || '(unnamed)'];
      if (box.score !== null) parts.push(formatScore(box.score));
      if (isEdited(box)) parts.push('edited');
      else if (box.id === null) parts.push('new');
      return {
        key: box.key,
        x1: box.x1,
        y1: box.y1,
        x2: box.x2,
        y2: box.y2,
        color: object.key === selectedObjectKey ? object.color : withAlpha(object.color, DIMMED),
        label: parts.join(' · '),
      };
    });
  }, [items, selectedObjectKey]);

  const localErrors = useMemo(() => validate(present), [present]);
  const conflict = snapshot.conflict;
  const status = statusCode(snapshot, dirty);
  const accepted = server.state === 'accepted';

  return (
    <div className="er" data-testid="eventreview">
      <header className="er-header">
        <h2 className="er-title">
          {video.title || `Video ${video.id}`}{' '}
          <span className="er-muted">
            · event {event.number}
            {event.label !== '' && <> · “{event.label}”</>} · {formatInterval(event.start, event.end)}
          </span>
        </h2>
        <span className={`er-state er-state-${server.state}`} data-testid="event-state" data-state={server.state}>
          {accepted ? 'Accepted' : 'Proposed'}
        </span>
        <span
          className={`er-save er-save-${status}`}
          data-testid="save-status"
          data-status={status}
          data-version={snapshot.version}
          data-dirty={dirty ? 'true' : 'false'}
          role="status"
        >
          {statusText(snapshot, dirty)}
        </span>
        <span className="er-muted" data-testid="version">
          version {snapshot.version}
        </span>
        <span className="er-header-actions">
          {sync.editable && (
            <>
              <button type="button" onClick={undo} disabled={!editable || !canUndo(state)} title="Undo (Ctrl+Z)" {...KEEP_FOCUS}>
                Undo
              </button>
              <button type="button" onClick={redo} disabled={!editable || !canRedo(state)} title="Redo (Ctrl+Shift+Z)" {...KEEP_FOCUS}>
                Redo
              </button>
              <button type="button" onClick={save} disabled={!editable} title="Save now (Ctrl+S)" {...KEEP_FOCUS}>
                Save
              </button>
              <button
                type="button"
                className="er-primary"
                data-testid="accept-event"
                onClick={() => void accept()}
                disabled={!editable}
                title="Save and accept the event (Ctrl+Enter)"
                {...KEEP_FOCUS}
              >
                {snapshot.accepting ? 'Accepting…' : 'Accept event'}
              </button>
            </>
          )}
          {server.prev_url !== null && (
            <a href={server.prev_url} onClick={(e) => {
              e.preventDefault();
              void leaveTo(server.prev_url, 'previous');
            }} title="Previous event (p)">
              Previous event
            </a>
          )}
          {server.next_url !== null && (
            <a href={server.next_url} onClick={(e) => {
              e.preventDefault();
              void leaveTo(server.next_url, 'next');
            }} title="Next event (n)">
              Next event
            </a>
          )}
        </span>
      </header>

      {!server.editable && (
        <p className="er-notice" data-testid="readonly-notice" role="note">
          Read only: you can look at this event but not change it{accepted ? ' (it has been accepted)' : ''}.
        </p>
      )}
      {snapshot.message !== null && snapshot.status !== 'saving' && (
        <div className="er-error" role="alert" data-testid="save-error">
          <p>{snapshot.message}</p>
          {snapshot.errors.general.length > 0 && (
            <ul>
              {snapshot.errors.general.map((m, k) => (
                <li key={k}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {accepted && snapshot.acceptedVersion !== null && (
        <p className="er-outcome" role="status" data-testid="accepted-notice">
          <strong>Event accepted</strong> (version {snapshot.acceptedVersion}).{' '}
          {server.next_url !== null && (
            <a href={server.next_url} onClick={(e) => {
              e.preventDefault();
              void leaveTo(server.next_url, 'next');
            }}>
              Next event
            </a>
          )}
        </p>
      )}
      {conflict !== null && (
        <ConflictPanel
          mine={present}
          theirs={conflict.current}
          message={conflict.message}
          busy={snapshot.accepting}
          canReapply={conflict.current.editable}
          onReapply={reapply}
          onDiscard={discard}
        />
      )}

      <div className="er-layout">
        <section className="er-frame-pane" aria-label="Frame">
          <div className="er-second-bar">
            <button type="button" onClick={() => showSecond(current - 1)} disabled={current <= 0} aria-label="Previous second" {...KEEP_FOCUS}>
              ◀
            </button>
            <span className="er-second-label" data-testid="current-second" data-index={current} data-frame={frame ?? ''}>
              {second === null
                ? 'No sampled seconds'
                : `Second ${current + 1} / ${seconds.length} · ${formatSeconds(second.t)} · frame ${second.frame_index}`}
            </span>
            <button
              type="button"
              onClick={() => showSecond(current + 1)}
              disabled={current >= seconds.length - 1}
              aria-label="Next second"
              {...KEEP_FOCUS}
            >
              ▶
            </button>
            <span className="er-drawing-for" data-testid="drawing-for">
              {selectedObject === undefined ? (
                'No object selected'
              ) : (
                <>
                  <span className="er-swatch" style={{ background: selectedObject.color }} aria-hidden="true" />{' '}
                  {editable ? 'Drawing boxes for ' : 'Selected: '}
                  <strong>{selectedObject.name.trim() || '(unnamed)'}</strong>
                </>
              )}
            </span>
          </div>
          {second === null ? (
            <p className="er-empty">This event has no sampled seconds.</p>
          ) : (
            <BoxCanvas
              imageUrl={frameUrl(video.frame_url_template, second.frame_index)}
              frameWidth={video.width}
              frameHeight={video.height}
              boxes={canvasBoxes}
              selectedKey={selectedBoxKey}
              drawColor={selectedObject?.color ?? '#ffffff'}
              disabled={!editable}
              onSelect={selectBox}
              onCreate={createBox}
              onChange={changeBox}
              onDelete={deleteBox}
            />
          )}
          <Filmstrip
            seconds={seconds}
            objects={present.objects}
            currentIndex={current}
            selectedObjectKey={selectedObjectKey}
            frameUrlTemplate={video.frame_url_template}
            onSelect={showSecond}
          />
          <p className="er-hint" role="status" data-testid="hint">
            {hint}
          </p>
          <p className="er-help">
            <span className="er-help-title">Keys:</span>{' '}
            {SHORTCUT_HELP.map(([keys, what]) => (
              <span key={keys} className="er-help-item">
                <kbd>{keys}</kbd> {what}
              </span>
            ))}
          </p>
        </section>

        <section className="er-side-pane" aria-label="Review">
          <ObjectPanel
            objects={present.objects}
            selectedKey={selectedObjectKey}
            seconds={seconds}
            localErrors={localErrors}
            serverErrors={snapshot.errors}
            editable={sync.editable}
            onSelect={selectObject}
            onRename={rename}
            onToggleAudibility={toggleAudibility}
            onRemove={removeObject}
            onAdd={addObject}
            onGoToBox={goToBox}
          />
          <BoxList
            items={items}
            objects={present.objects}
            t={second?.t ?? null}
            selectedKey={selectedBoxKey}
            serverErrors={snapshot.errors}
            editable={sync.editable}
            onSelect={selectBox}
            onDelete={deleteBox}
          />
          <p className="er-muted er-detection" data-testid="detection">
            {server.detection === null || server.detection.detected_at === null
              ? 'No boxes proposed by a detector yet.'
              : `Boxes proposed by ${server.detection.model} on ${server.detection.detected_at.slice(0, 10)}.`}
          </p>
        </section>
      </div>
    </div>
  );
}
