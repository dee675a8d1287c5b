/**
 * The decision by key on the review item page. The decision form is the
 * server's (`#review-decision`: a comment, and one submit button per decision
 * with `data-key`); a decision's key arms its button, Enter (or the key again)
 * submits it, Escape disarms. A decision that needs a reason (send back,
 * reject) with an empty comment puts the cursor in the comment instead, and
 * Ctrl+Enter there submits it. Keys typed in the comment stay text.
 */
import { activatesOnSpace, isEscape, isTypingTarget, keyName, withCommandKey, type KeyLike } from '../components';

export interface DecisionOption {
  /** The button's value: keep, send_back, reject, approve, fix. */
  value: string;
  /** One letter. */
  key: string;
  /** What it does, in the hints ("keep", "send back"). */
  label: string;
  /** A reason must be written in the comment. */
  needsComment: boolean;
}

export type DecisionAction = { type: 'arm'; value: string } | { type: 'confirm' } | { type: 'cancel' };

/**
 * What a key press does to the decision, or null to leave the key alone:
 * `armed` is the decision waiting for its confirmation, `inComment` whether
 * the key was typed in the form's comment.
 */
export function decisionActionForKey(
  event: KeyLike,
  options: readonly DecisionOption[],
  armed: string | null,
  inComment: boolean,
): DecisionAction | null {
  if (event.isComposing === true) return null;
  if (isEscape(event)) return armed === null ? null : { type: 'cancel' };
  const key = keyName(event);
  if (isTypingTarget(event.target)) {
    const send = inComment && key === 'Enter' && withCommandKey(event) && !event.altKey && !event.shiftKey;
    return send && armed !== null ? { type: 'confirm' } : null;
  }
  if (event.altKey || withCommandKey(event) || event.shiftKey) return null;
  // Enter on a focused button or link is that element's own.
  if (key === 'Enter') return armed !== null && !activatesOnSpace(event.target) ? { type: 'confirm' } : null;
  const option = options.find((o) => o.key === key);
  if (option === undefined) return null;
  return option.value === armed ? { type: 'confirm' } : { type: 'arm', value: option.value };
}

/** The hint under the buttons for the armed decision (null: none armed). */
export function armedHint(option: DecisionOption | null, commentEmpty: boolean): string {
  if (option === null) return '';
  if (option.needsComment && commentEmpty) return `Say why in the comment, then Ctrl+Enter to ${option.label}. Esc cancels.`;
  return `Press Enter (or ${option.key} again) to ${option.label}. Esc cancels.`;
}

/** The form's decision buttons as options, in their order; buttons without a one-letter `data-key` have none. */
export function decisionOptions(form: HTMLFormElement): DecisionOption[] {
  return [...form.querySelectorAll<HTMLButtonElement>('button[name=decision][data-key]')].flatMap((button) => {
    const key = (button.dataset.key ?? '').toLowerCase();
    if (key.length !== 1) return [];
    return [{ value: button.value, key, label: button.dataset.label ?? button.value, needsComment: button.dataset.needsComment === 'true' }];
  });
}

/**
 * Wires the keys to `form` (listening on its document) and returns what
 * unwires them. A click on a decision that needs a reason with an empty
 * comment is held back the same way.
 */
export function attachDecisionKeys(form: HTMLFormElement): () => void {
  const doc = form.ownerDocument;
  const options = decisionOptions(form);
  const comment = form.querySelector<HTMLTextAreaElement>('textarea[name=comment]');
  const hint = form.querySelector<HTMLElement>('[data-decision-hint]');
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[name=decision]')];
  const buttonOf = (value: string) => buttons.find((b) => b.value === value) ?? null;
  const commentEmpty = () => (comment?.value ?? '').trim() === '';
  let armed: DecisionOption | null = null;

  const show = (text: string) => {
    if (hint !== null) hint.textContent = text;
  };
  const arm = (option: DecisionOption | null) => {
    armed = option;
    for (const o of options) {
      const button = buttonOf(o.value);
      button?.classList.toggle('is-armed', o === option);
      button?.setAttribute('aria-pressed', o === option ? 'true' : 'false');
    }
    show(armedHint(option, commentEmpty()));
    if (option !== null && option.needsComment && commentEmpty()) comment?.focus();
  };
  const confirm = () => {
    if (armed === null) return;
    if (armed.needsComment && commentEmpty()) {
      arm(armed);
      return;
    }
    const button = buttonOf(armed.value);
    if (button !== null) form.requestSubmit(button);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const action = decisionActionForKey(event, options, armed?.value ?? null, event.target === comment && comment !== null);
    if (action === null) return;
    if (action.type === 'cancel') {
      // Not prevented: Escape also leaves the comment and clears the media's selection.
      arm(null);
      return;
    }
    event.preventDefault();
    if (action.type === 'confirm') confirm();
    else arm(options.find((o) => o.value === action.value) ?? null);
  };
  const onSubmit = (event: SubmitEvent) => {
    const submitter = event.submitter;
    const option = submitter instanceof HTMLButtonElement ? options.find((o) => o.value === submitter.value) : undefined;
    if (option !== undefined && option.needsComment && commentEmpty()) {
      event.preventDefault();
      arm(option);
    }
  };
  const onInput = () => show(armedHint(armed, commentEmpty()));
  doc.addEventListener('keydown', onKeyDown);
  form.addEventListener('submit', onSubmit);
  comment?.addEventListener('input', onInput);
  return () => {
    doc.removeEventListener('keydown', onKeyDown);
    form.removeEventListener('submit', onSubmit);
    comment?.removeEventListener('input', onInput);
  };
}
