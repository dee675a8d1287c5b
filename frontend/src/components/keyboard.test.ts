import { describe, expect, it, vi } from 'vitest';
import {
  activatesOnSpace,
  historyKey,
  isEscape,
  isTypingTarget,
  KEEP_FOCUS,
  keyName,
  leaveTypingTarget,
  withCommandKey,
  type KeyLike,
} from './keyboard';

const el = (html: string): Element => {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host.firstElementChild!;
};

const key = (k: string, over: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: document.body,
  ...over,
});

describe('isTypingTarget', () => {
  it('knows text fields from buttons', () => {
    expect(isTypingTarget(el('<input type="text">'))).toBe(true);
    expect(isTypingTarget(el('<input type="number">'))).toBe(true);
    expect(isTypingTarget(el('<textarea></textarea>'))).toBe(true);
    expect(isTypingTarget(el('<select></select>'))).toBe(true);
    expect(isTypingTarget(el('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(el('<button></button>'))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('counts editable content as a field', () => {
    const div = document.createElement('div');
    Object.defineProperty(div, 'isContentEditable', { value: true });
    expect(isTypingTarget(div)).toBe(true);
  });
});

describe('leaveTypingTarget', () => {
  it('blurs a focused text field, and leaves anything else alone', () => {
    const input = document.createElement('input');
    document.body.appendChild(input);
    input.focus();
    expect(leaveTypingTarget(input)).toBe(true);
    expect(document.activeElement).not.toBe(input);
    const button = document.createElement('button');
    expect(leaveTypingTarget(button)).toBe(false);
    expect(leaveTypingTarget(null)).toBe(false);
    input.remove();
  });
});

describe('activatesOnSpace', () => {
  it('is true for the elements Space activates', () => {
    for (const html of ['<button></button>', '<a href="#">x</a>', '<summary></summary>', '<video></video>', '<input type="checkbox">']) {
      expect(activatesOnSpace(el(html))).toBe(true);
    }
    expect(activatesOnSpace(el('<input type="text">'))).toBe(false);
    expect(activatesOnSpace(document.body)).toBe(false);
    expect(activatesOnSpace(null)).toBe(false);
  });
});

describe('key matching', () => {
  it('names keys, Escape and the command key', () => {
    expect(keyName(key('A'))).toBe('a');
    expect(keyName(key('ArrowLeft'))).toBe('ArrowLeft');
    expect(isEscape(key('Escape'))).toBe(true);
    expect(isEscape(key('Esc'))).toBe(true);
    expect(isEscape(key('e'))).toBe(false);
    expect(withCommandKey(key('z', { ctrlKey: true }))).toBe(true);
    expect(withCommandKey(key('z', { metaKey: true }))).toBe(true);
    expect(withCommandKey(key('z'))).toBe(false);
  });

  it('maps undo and redo', () => {
    expect(historyKey(key('z', { ctrlKey: true }))).toBe('undo');
    expect(historyKey(key('Z', { metaKey: true }))).toBe('undo');
    expect(historyKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(historyKey(key('y', { ctrlKey: true }))).toBe('redo');
    expect(historyKey(key('y', { metaKey: true }))).toBeNull();
    expect(historyKey(key('z'))).toBeNull();
    expect(historyKey(key('x', { ctrlKey: true }))).toBeNull();
  });
});

describe('KEEP_FOCUS', () => {
  it('keeps a mouse press from moving the focus', () => {
    const preventDefault = vi.fn();
    KEEP_FOCUS.onMouseDown({ preventDefault });
    expect(preventDefault).toHaveBeenCalledOnce();
  });
});
