import {
  CATEGORIES,
  CATEGORY_LABELS,
  halfSetRef,
  MODALITIES,
  MODALITY_LABELS,
  type DocErrors,
  type EditableDoc,
} from './doc';
import { formatTime, KEEP_FOCUS } from '../components';
import type { Category, Modality, QuestionStateName } from './types';

export const STATE_LABELS: Record<QuestionStateName, string> = {
  draft: 'Draft (stage 2)',
  answered: 'Answered, clues pending (stage 3)',
  arbitration: 'In arbitration',
  pooled: 'In the candidate pool',
  rejected: 'Rejected',
  second_pass: 'Second pass (blind double annotation)',
};

/** The coalescing keys of the form's fields: typing in one field is one undo step. */
export type DraftField = 'text' | 'category' | 'modality' | 'drafted_answer' | 'ref_start' | 'ref_end';

export interface DraftFormProps {
  doc: EditableDoc;
  errors: DocErrors;
  state: QuestionStateName;
  version: number;
  disabled: boolean;
  onChange(patch: Partial<EditableDoc>, field: DraftField): void;
  onSetFromPlayer(field: 'ref_start' | 'ref_end'): void;
  onSeek(t: number): void;
}

/** "" for null; otherwise the number as typed back (a number input keeps "12." while typing). */
const numberValue = (value: number | null): string | number => (value === null ? '' : value);

/** A number input's value: null when empty; NaN (shown as a problem) when not a number. */
function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message === undefined ? null : (
    <span className="ws-field-error" id={id}>
      {message}
    </span>
  );
}

/** Stage 2: the question, its category and modality, the drafted count and the reference interval. */
export function DraftForm({ doc, errors, state, version, disabled, onChange, onSetFromPlayer, onSeek }: DraftFormProps) {
  const invalid = (key: string) => (errors[key] !== undefined ? { 'aria-invalid': true, 'aria-describedby': `ws-err-${key}` } : {});
  return (
    <section className="ws-draft" aria-label="Question and drafted answer">
      <p className="ws-state">
        <span className={`ws-state-badge ws-state-${state}`}>{STATE_LABELS[state]}</span>{' '}
        <span className="ws-version">version {version}</span>
      </p>
      <label className="ws-field ws-field-text">
        Question
        <textarea
          rows={2}
          value={doc.text}
          disabled={disabled}
          onChange={(e) => onChange({ text: e.target.value }, 'text')}
          {...invalid('text')}
        />
        <FieldError id="ws-err-text" message={errors.text} />
      </label>
      <div className="ws-field-row">
        <label className="ws-field">
          Category
          <select
            value={doc.category}
            disabled={disabled}
            onChange={(e) => onChange({ category: e.target.value as Category }, 'category')}
            {...invalid('category')}
          >
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
          <FieldError id="ws-err-category" message={errors.category} />
        </label>
        <label className="ws-field">
          Modality
          <select
            value={doc.modality}
            disabled={disabled}
            onChange={(e) => onChange({ modality: e.target.value as Modality }, 'modality')}
            {...invalid('modality')}
          >
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {m} · {MODALITY_LABELS[m]}
              </option>
            ))}
          </select>
          <FieldError id="ws-err-modality" message={errors.modality} />
        </label>
        <label className="ws-field ws-field-count">
          Drafted count
          <input
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={numberValue(doc.drafted_answer)}
            disabled={disabled}
            onChange={(e) => onChange({ drafted_answer: parseNumber(e.target.value) }, 'drafted_answer')}
            {...invalid('drafted_answer')}
          />
          <FieldError id="ws-err-drafted_answer" message={errors.drafted_answer} />
        </label>
      </div>
      <fieldset className="ws-ref">
        <legend>Reference interval</legend>
        {halfSetRef(doc) && (
          <p className="ws-ref-incomplete" role="status" data-testid="ref-incomplete">
            Incomplete: set the {doc.ref_start === null ? 'start' : 'end'} too. Kept here as a draft; saves go on with the
            interval the server has until both ends are set.
          </p>
        )}
        {(['ref_start', 'ref_end'] as const).map((field) => {
          const value = doc[field];
          const isStart = field === 'ref_start';
          return (
            <div className="ws-field" key={field}>
              <label htmlFor={`ws-${field}`}>{isStart ? 'Start (s)' : 'End (s)'}</label>
              <span className="ws-time-input">
                <input
                  id={`ws-${field}`}
                  type="number"
                  min={0}
                  step={0.001}
                  value={numberValue(value)}
                  disabled={disabled}
                  onChange={(e) => onChange({ [field]: parseNumber(e.target.value) }, field)}
                  {...invalid(field)}
                />
                <button
                  type="button"
                  {...KEEP_FOCUS}
                  disabled={disabled}
                  onClick={() => onSetFromPlayer(field)}
                  title={`Set from the player (${isStart ? '[' : ']'})`}
                >
                  Set {isStart ? 'start' : 'end'} from player
                </button>
                {value !== null && Number.isFinite(value) && (
                  <button type="button" {...KEEP_FOCUS} className="ws-link" onClick={() => onSeek(value)} title="Go there">
                    {formatTime(value)}
                  </button>
                )}
              </span>
              <FieldError id={`ws-err-${field}`} message={errors[field]} />
            </div>
          );
        })}
      </fieldset>
    </section>
  );
}
