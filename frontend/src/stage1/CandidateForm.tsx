import { useEffect, useRef, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { formatInterval, secondsToInput } from './format';
import type { Draft } from './draft';
import { isEditable } from './list';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  MODALITIES,
  MODALITY_LABELS,
  type Candidate,
  type Category,
  type FieldErrors,
  type Modality,
} from './types';

export type IntervalField = 'query_start' | 'query_end';

export interface CandidateFormProps {
  /** Prefix of the element ids (unique per form on the page). */
  idPrefix: string;
  heading: string;
  draft: Draft;
  fieldErrors: FieldErrors;
  formError: string | null;
  busy: boolean;
  submitLabel: string;
  /** The newer server version after a 409; the form then offers to apply the user's changes to it. */
  conflict?: Candidate | null;
  onChange: (patch: Partial<Draft>) => void;
  onSubmit: () => void;
  onCancel: () => void;
  onSetFromPlayer: (field: IntervalField) => void;
  onPlayDraft: () => void;
  onApplyToNewer?: () => void;
  onEditNewer?: () => void;
}

/** Enter in a field submits (Shift+Enter keeps a newline in the question text). */
export function submitOnEnter(event: KeyboardEvent<HTMLElement>, submit: () => void): void {
  if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) {
    return;
  }
  const tag = (event.target as HTMLElement).tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
    // Also stops the browser's implicit submission, so the form is sent once.
    event.preventDefault();
    submit();
  }
}

function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (messages === undefined || messages.length === 0) {
    return null;
  }
  return (
    <span className="s1-field-error" id={id}>
      {messages.join(' ')}
    </span>
  );
}

/** The edit form of a candidate and the "Add a question" form. */
export function CandidateForm(props: CandidateFormProps) {
  const { idPrefix: p, draft, fieldErrors, busy, conflict = null } = props;
  const applyRef = useRef<HTMLButtonElement>(null);

  // After a 409 the next step is a decision about the newer version: put the focus on it.
  useEffect(() => {
    if (conflict !== null) {
      applyRef.current?.focus();
    }
  }, [conflict]);

  const submit = () => {
    if (!busy && conflict === null) {
      props.onSubmit();
    }
  };
  const onFormSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };
  const errorId = (field: string) => `${p}-${field}-error`;
  const invalid = (field: string) => (fieldErrors[field]?.length ?? 0) > 0;
  const described = (field: string) => (invalid(field) ? errorId(field) : undefined);

  const intervalInput = (field: IntervalField, label: string, verb: string) => (
    <div className="s1-field s1-field-time">
      <label htmlFor={`${p}-${field}`}>{label}</label>
      <span className="s1-time-input">
        <input
          id={`${p}-${field}`}
          type="number"
          inputMode="decimal"
          step={0.1}
          min={0}
          value={draft[field]}
          aria-invalid={invalid(field) || undefined}
          aria-describedby={described(field)}
          onChange={(e) => props.onChange({ [field]: e.target.value })}
        />
        <button
          type="button"
          className="s1-from-player"
          aria-label={`Set ${verb} to the player's current time`}
          title={`Set ${verb} to the player's current time`}
          onClick={() => props.onSetFromPlayer(field)}
        >
          Now
        </button>
      </span>
      <FieldError id={errorId(field)} messages={fieldErrors[field]} />
    </div>
  );

  return (
    <div className={`s1-form-wrap${conflict !== null ? ' s1-has-conflict' : ''}`}>
      <form
        className="s1-form"
        aria-label={props.heading}
        noValidate
        aria-busy={busy || undefined}
        onSubmit={onFormSubmit}
        onKeyDown={(e) => submitOnEnter(e, submit)}
      >
        <p className="s1-form-heading">{props.heading}</p>
        <div className="s1-field s1-field-text">
          <label htmlFor={`${p}-text`}>Question</label>
          <textarea
            id={`${p}-text`}
            rows={2}
            value={draft.text}
            autoFocus
            aria-invalid={invalid('text') || undefined}
            aria-describedby={described('text')}
            onChange={(e) => props.onChange({ text: e.target.value })}
          />
          <FieldError id={errorId('text')} messages={fieldErrors.text} />
        </div>
        <div className="s1-field-row">
          <div className="s1-field">
            <label htmlFor={`${p}-category`}>Category</label>
            <select
              id={`${p}-category`}
              value={draft.category}
              aria-invalid={invalid('category') || undefined}
              aria-describedby={described('category')}
              onChange={(e) => props.onChange({ category: e.target.value as Category })}
            >
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </select>
            <FieldError id={errorId('category')} messages={fieldErrors.category} />
          </div>
          <div className="s1-field">
            <label htmlFor={`${p}-modality`}>Modality</label>
            <select
              id={`${p}-modality`}
              value={draft.modality}
              aria-invalid={invalid('modality') || undefined}
              aria-describedby={described('modality')}
              onChange={(e) => props.onChange({ modality: e.target.value as Modality })}
            >
              {MODALITIES.map((m) => (
                <option key={m} value={m}>
                  {m} — {MODALITY_LABELS[m]}
                </option>
              ))}
            </select>
            <FieldError id={errorId('modality')} messages={fieldErrors.modality} />
          </div>
          {intervalInput('query_start', 'Start (s)', 'the start')}
          {intervalInput('query_end', 'End (s)', 'the end')}
          <button type="button" className="s1-play-draft" onClick={props.onPlayDraft}>
            ▶ Play this interval
          </button>
        </div>
        <p className="s1-hint">The part of the video the question asks about (the whole video when left empty); it becomes the first draft of the reference interval.</p>
        {props.formError !== null && props.formError !== '' && (
          <p className="s1-form-error" role="alert">
            {props.formError}
          </p>
        )}
        <div className="s1-form-actions">
          {conflict === null && (
            <button type="submit" className="s1-primary" disabled={busy}>
              {busy ? 'Saving…' : props.submitLabel}
            </button>
          )}
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
      {conflict !== null && (
        <ConflictPanel
          conflict={conflict}
          draft={draft}
          busy={busy}
          applyRef={applyRef}
          onApply={props.onApplyToNewer}
          onEditNewer={props.onEditNewer}
        />
      )}
    </div>
  );
}

function ConflictPanel({
  conflict,
  draft,
  busy,
  applyRef,
  onApply,
  onEditNewer,
}: {
  conflict: Candidate;
  draft: Draft;
  busy: boolean;
  applyRef: RefObject<HTMLButtonElement | null>;
  onApply: (() => void) | undefined;
  onEditNewer: (() => void) | undefined;
}) {
  const editable = isEditable(conflict);
  const differs = {
    text: conflict.text !== draft.text.trim(),
    category: conflict.category !== draft.category,
    modality: conflict.modality !== draft.modality,
    interval:
      secondsToInput(conflict.query_start) !== draft.query_start.trim() ||
      secondsToInput(conflict.query_end) !== draft.query_end.trim(),
  };
  const mark = (d: boolean) => (d ? <em className="s1-differs"> (differs from yours)</em> : null);
  return (
    <aside className="s1-conflict" aria-label="Newer version on the server">
      <p className="s1-conflict-heading">
        Newer version on the server (version {conflict.version}, {conflict.state}):
      </p>
      <dl>
        <dt>Question</dt>
        <dd>
          {conflict.text}
          {mark(differs.text)}
        </dd>
        <dt>Category</dt>
        <dd>
          {CATEGORY_LABELS[conflict.category] ?? conflict.category}
          {mark(differs.category)}
        </dd>
        <dt>Modality</dt>
        <dd>
          {conflict.modality}
          {mark(differs.modality)}
        </dd>
        <dt>Interval</dt>
        <dd>
          {formatInterval(conflict.query_start, conflict.query_end)}
          {mark(differs.interval)}
        </dd>
      </dl>
      {editable ? (
        <p className="s1-conflict-actions">
          <button ref={applyRef} type="button" className="s1-primary" disabled={busy} onClick={onApply}>
            {busy ? 'Saving…' : 'Apply my changes to the newer version'}
          </button>{' '}
          <button type="button" disabled={busy} onClick={onEditNewer}>
            Discard mine, edit the newer version
          </button>
        </p>
      ) : (
        <p className="s1-conflict-actions">It is {conflict.state} now and can no longer be edited.</p>
      )}
    </aside>
  );
}
