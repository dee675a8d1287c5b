import type { FormEvent } from 'react';
import { submitOnEnter } from './CandidateForm';

/** Reasons offered as suggestions; any text is accepted. */
export const COMMON_REASONS: readonly string[] = [
  'Not a counting question',
  'Ambiguous: the count is not well defined',
  'The answer is zero or cannot be observed',
  'Duplicate of another question',
  'Wrong modality',
  'Wrong query interval',
];

export interface RejectFormProps {
  idPrefix: string;
  /** The question being rejected, for the form's accessible name. */
  text: string;
  reason: string;
  formError: string | null;
  busy: boolean;
  onChange: (reason: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
}

/** The inline reason input of a rejection; Enter confirms, Esc (handled by the page) cancels. */
export function RejectForm({ idPrefix: p, text, reason, formError, busy, onChange, onSubmit, onCancel }: RejectFormProps) {
  const submit = () => {
    if (!busy) {
      onSubmit();
    }
  };
  const onFormSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };
  return (
    <form
      className="s1-reject"
      aria-label={`Reject “${text}”`}
      noValidate
      aria-busy={busy || undefined}
      onSubmit={onFormSubmit}
      onKeyDown={(e) => submitOnEnter(e, submit)}
    >
      <label htmlFor={`${p}-reason`}>Reason for rejecting</label>{' '}
      <input
        id={`${p}-reason`}
        type="text"
        list={`${p}-reasons`}
        value={reason}
        autoFocus
        required
        aria-invalid={formError !== null || undefined}
        aria-describedby={formError !== null ? `${p}-reason-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${p}-reasons`}>
        {COMMON_REASONS.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>{' '}
      <button type="submit" className="s1-danger" disabled={busy}>
        {busy ? 'Rejecting…' : 'Reject'}
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {formError !== null && (
        <span className="s1-field-error" id={`${p}-reason-error`} role="alert">
          {formError}
        </span>
      )}
    </form>
  );
}
