import { fireEvent } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyLike } from '../components';
import { armedHint, attachDecisionKeys, decisionActionForKey, decisionOptions, type DecisionOption } from './decisionKeys';

const OPTIONS: DecisionOption[] = [
  { value: 'keep', key: 'a', label: 'keep', needsComment: false },
  { value: 'send_back', key: 's', label: 'send back', needsComment: true },
  { value: 'reject', key: 'r', label: 'reject', needsComment: true },
];

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra,
});

describe('decisionActionForKey', () => {
  it('arms a decision by its key, and confirms it by Enter or the key again', () => {
    expect(decisionActionForKey(key('a'), OPTIONS, null, false)).toEqual({ type: 'arm', value: 'keep' });
    expect(decisionActionForKey(key('A', { shiftKey: false }), OPTIONS, null, false)).toEqual({ type: 'arm', value: 'keep' });
    expect(decisionActionForKey(key('r'), OPTIONS, 'keep', false)).toEqual({ type: 'arm', value: 'reject' });
    expect(decisionActionForKey(key('a'), OPTIONS, 'keep', false)).toEqual({ type: 'confirm' });
    expect(decisionActionForKey(key('Enter'), OPTIONS, 'keep', false)).toEqual({ type: 'confirm' });
    expect(decisionActionForKey(key('Escape'), OPTIONS, 'keep', false)).toEqual({ type: 'cancel' });
  });

  it('does nothing unarmed, with modifiers, or with Enter on a button', () => {
    expect(decisionActionForKey(key('Enter'), OPTIONS, null, false)).toBeNull();
    expect(decisionActionForKey(key('Escape'), OPTIONS, null, false)).toBeNull();
    expect(decisionActionForKey(key('x'), OPTIONS, null, false)).toBeNull();
    expect(decisionActionForKey(key('a', { ctrlKey: true }), OPTIONS, null, false)).toBeNull();
    expect(decisionActionForKey(key('a', { shiftKey: true }), OPTIONS, null, false)).toBeNull();
    expect(decisionActionForKey(key('a', { isComposing: true }), OPTIONS, null, false)).toBeNull();
    const button = document.createElement('button');
    expect(decisionActionForKey(key('Enter', { target: button }), OPTIONS, 'keep', false)).toBeNull();
  });

  it('never takes the letters typed in a field; Ctrl+Enter in the comment confirms', () => {
    const textarea = document.createElement('textarea');
    for (const k of ['a', 's', 'r', 'Enter']) {
      expect(decisionActionForKey(key(k, { target: textarea }), OPTIONS, 'send_back', true)).toBeNull();
    }
    expect(decisionActionForKey(key('Enter', { target: textarea, ctrlKey: true }), OPTIONS, 'send_back', true)).toEqual({ type: 'confirm' });
    expect(decisionActionForKey(key('Enter', { target: textarea, metaKey: true }), OPTIONS, null, true)).toBeNull();
    const input = document.createElement('input');
    expect(decisionActionForKey(key('Enter', { target: input, ctrlKey: true }), OPTIONS, 'send_back', false)).toBeNull();
    expect(decisionActionForKey(key('Escape', { target: textarea }), OPTIONS, 'send_back', true)).toEqual({ type: 'cancel' });
  });
});

describe('armedHint', () => {
  it('says how to confirm, or to write the reason first', () => {
    expect(armedHint(null, true)).toBe('');
    expect(armedHint(OPTIONS[0]!, true)).toBe('Press Enter (or a again) to keep. Esc cancels.');
    expect(armedHint(OPTIONS[1]!, true)).toBe('Say why in the comment, then Ctrl+Enter to send back. Esc cancels.');
    expect(armedHint(OPTIONS[1]!, false)).toBe('Press Enter (or s again) to send back. Esc cancels.');
  });
});

describe('attachDecisionKeys', () => {
  let form: HTMLFormElement;
  let submitted: string[];
  let detach: () => void;
  const record = (event: Event) => {
    if (!event.defaultPrevented) submitted.push(((event as SubmitEvent).submitter as HTMLButtonElement).value);
    event.preventDefault();
  };

  beforeEach(() => {
    document.body.innerHTML = `
      <form id="review-decision">
        <textarea name="comment"></textarea>
        <input type="number" name="comment_time">
        <button type="submit" name="decision" value="keep" data-key="a" data-label="keep">Keep</button>
        <button type="submit" name="decision" value="send_back" data-key="s" data-label="send back" data-needs-comment="true">Send back</button>
        <button type="submit" name="decision" value="reject" data-key="r" data-label="reject" data-needs-comment="true">Reject</button>
        <p data-decision-hint></p>
      </form>`;
    form = document.querySelector('form')!;
    submitted = [];
    detach = attachDecisionKeys(form);
    // After the form's own listeners (the event bubbles here): what would reach the server.
    document.addEventListener('submit', record);
  });

  afterEach(() => {
    document.removeEventListener('submit', record);
    detach();
    document.body.innerHTML = '';
  });

  const comment = () => form.querySelector('textarea')!;
  const hint = () => form.querySelector('[data-decision-hint]')!.textContent;
  const button = (value: string) => form.querySelector<HTMLButtonElement>(`button[value=${value}]`)!;

  it('reads the options from the buttons', () => {
    expect(decisionOptions(form).map((o) => [o.value, o.key, o.needsComment])).toEqual([
      ['keep', 'a', false],
      ['send_back', 's', true],
      ['reject', 'r', true],
    ]);
  });

  it('arms by key, shows it, and submits on Enter with the button’s value', () => {
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(button('keep').classList.contains('is-armed')).toBe(true);
    expect(button('keep').getAttribute('aria-pressed')).toBe('true');
    expect(hint()).toContain('to keep');
    expect(submitted).toEqual([]);
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(submitted).toEqual(['keep']);
  });

  it('disarms on Escape', () => {
    fireEvent.keyDown(document.body, { key: 'a' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(button('keep').classList.contains('is-armed')).toBe(false);
    expect(hint()).toBe('');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(submitted).toEqual([]);
  });

  it('asks for the reason first: the cursor goes to the comment, whose letters stay text, and Ctrl+Enter submits', () => {
    fireEvent.keyDown(document.body, { key: 'r' });
    expect(document.activeElement).toBe(comment());
    expect(hint()).toContain('Say why');
    // Typing "a" and "r" in the comment neither arms nor confirms anything.
    for (const k of ['a', 'r', 's', 'Enter']) expect(fireEvent.keyDown(comment(), { key: k })).toBe(true);
    expect(button('reject').classList.contains('is-armed')).toBe(true);
    expect(submitted).toEqual([]);
    comment().value = 'a vague question';
    fireEvent.input(comment());
    expect(hint()).toContain('Press Enter (or r again) to reject');
    fireEvent.keyDown(comment(), { key: 'Enter', ctrlKey: true });
    expect(submitted).toEqual(['reject']);
  });

  it('holds back a click on a decision that needs a reason while the comment is empty', () => {
    fireEvent.click(button('send_back'));
    expect(submitted).toEqual([]);
    expect(document.activeElement).toBe(comment());
    expect(hint()).toContain('Say why');
    comment().value = 'recount';
    fireEvent.click(button('send_back'));
    expect(submitted).toEqual(['send_back']);
  });

  it('leaves keys another handler took', () => {
    const other = (event: KeyboardEvent) => event.preventDefault();
    document.addEventListener('keydown', other, { capture: true });
    fireEvent.keyDown(document.body, { key: 'a' });
    document.removeEventListener('keydown', other, { capture: true });
    expect(button('keep').classList.contains('is-armed')).toBe(false);
  });
});
