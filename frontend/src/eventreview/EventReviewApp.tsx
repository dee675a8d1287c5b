import { useEffect, useMemo, useState } from 'react';
import { useLatest } from '../shared/hooks';
import { loadEventDoc } from './api';
import { BoxList } from './BoxList';
import { FramePane } from './FramePane';
import { ObjectPanel } from './ObjectPanel';
import { ReviewHeader } from './ReviewHeader';
import { ReviewNotices } from './ReviewNotices';
import { canRedo, canUndo, isDirty } from './state';
import { validate } from './reviewDoc';
import type { AssistUrls, EventDoc, EventReviewData } from './types';
import { useReviewCommands } from './useReviewCommands';
import { useReviewDoc } from './useReviewDoc';
import { useReviewAssist } from './useReviewAssist';
import { useReviewKeys } from './useReviewKeys';

export { statusCode, statusText } from './ReviewHeader';

export interface EventReviewAppProps {
  data: EventReviewData;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Goes to another page (next / previous event); injected for tests. */
  navigate?: (url: string) => void;
}

const defaultFetch: typeof fetch = (input, init) => fetch(input, init);
const defaultNavigate = (url: string) => window.location.assign(url);

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
  return (
    <EventReviewEditor
      doc={doc}
      docUrl={data.doc_url}
      csrf={data.csrf_token}
      labels={data.labels ?? []}
      assistUrls={data.assist_urls}
      assistMissing={data.assist_missing}
      fetchImpl={fetchImpl}
      navigate={navigate}
    />
  );
}

export interface EventReviewEditorProps {
  doc: EventDoc;
  docUrl: string;
  csrf: string;
  /** The project's object names, offered by the name field. */
  labels?: readonly string[];
  /** Click-to-box and tracking (absent: the server has no segmentation model). */
  assistUrls?: AssistUrls | undefined;
  /** Why they are absent, in the server's words: said when c or t is pressed. */
  assistMissing?: string | undefined;
  fetchImpl?: typeof fetch | undefined;
  navigate?: ((url: string) => void) | undefined;
}

/**
 * The editor of one event: the frame of the second shown with its boxes over
 * it (draw, move, resize, delete), the filmstrip of the sampled seconds, the
 * objects (rename, audibility, add, remove) and the boxes of the second. Every
 * change is undoable and autosaved with the version it was made on; a 409
 * shows both versions and lets the reviewer choose; "Accept event" saves with
 * `accept: true`.
 */
export function EventReviewEditor({
  doc, docUrl, csrf, labels = [], assistUrls, assistMissing, fetchImpl, navigate,
}: EventReviewEditorProps) {
  const fetchRef = useLatest<typeof fetch>(fetchImpl ?? defaultFetch);
  const review = useReviewDoc({ doc, docUrl, csrf, fetchRef, go: navigate ?? defaultNavigate });
  const commands = useReviewCommands(review);
  const assist = useReviewAssist(review, commands, assistUrls, csrf, fetchRef, assistMissing);
  useReviewKeys(review, commands, assist);
  const { sync, snapshot, state, present, editable } = review;
  const localErrors = useMemo(() => validate(present), [present]);
  const leave = (url: string | null, which: string) => void review.leaveTo(url, which);

  return (
    <div className="er" data-testid="eventreview">
      <ReviewHeader
        snapshot={snapshot}
        dirty={isDirty(state)}
        savable={sync.editable}
        editable={editable}
        canUndo={canUndo(state)}
        canRedo={canRedo(state)}
        onUndo={review.undo}
        onRedo={review.redo}
        onSave={review.save}
        onAccept={() => void review.accept()}
        onLeave={leave}
      />
      <ReviewNotices snapshot={snapshot} mine={present} onLeave={leave} onReapply={review.reapply} onDiscard={review.discard} />

      <div className="er-layout">
        <FramePane
          video={snapshot.server.video}
          objects={present.objects}
          commands={commands}
          editable={editable}
          hint={review.view.hint}
          assist={assist}
        />

        <section className="er-side-pane" aria-label="Review">
          <ObjectPanel
            objects={present.objects}
            labels={labels}
            selectedKey={commands.selectedObjectKey}
            seconds={commands.seconds}
            localErrors={localErrors}
            serverErrors={snapshot.errors}
            editable={sync.editable}
            onSelect={commands.selectObject}
            onRename={commands.rename}
            onToggleAudibility={commands.toggleAudibility}
            onRemove={commands.removeObject}
            onAdd={commands.addObject}
            onGoToBox={commands.goToBox}
          />
          <BoxList
            items={commands.items}
            objects={present.objects}
            t={commands.second?.t ?? null}
            selectedKey={commands.selectedBoxKey}
            serverErrors={snapshot.errors}
            editable={sync.editable}
            onSelect={commands.selectBox}
            onDelete={commands.deleteBox}
          />
          <p className="er-muted er-detection" data-testid="detection">
            {snapshot.server.detection === null || snapshot.server.detection.detected_at === null
              ? 'No boxes proposed by a detector yet.'
              : `Boxes proposed by ${snapshot.server.detection.model} on ${snapshot.server.detection.detected_at.slice(0, 10)}.`}
          </p>
        </section>
      </div>
    </div>
  );
}
