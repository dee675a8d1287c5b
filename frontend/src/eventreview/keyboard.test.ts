import { describe, expect, it } from 'vitest';
import type { KeyLike } from '../components';
import { commandForKey } from './keyboard';

const key = (k: string, init: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: document.body,
  ...init,
});

describe('commandForKey', () => {
  it('maps the review keys', () => {
    expect(commandForKey(key(','))).toEqual({ type: 'second', delta: -1 });
    expect(commandForKey(key('.'))).toEqual({ type: 'second', delta: 1 });
    expect(commandForKey(key('ArrowLeft'))).toEqual({ type: 'second', delta: -1 });
    expect(commandForKey(key('ArrowRight'))).toEqual({ type: 'second', delta: 1 });
    expect(commandForKey(key('Home'))).toEqual({ type: 'firstSecond' });
    expect(commandForKey(key('End'))).toEqual({ type: 'lastSecond' });
    expect(commandForKey(key('1'))).toEqual({ type: 'selectObject', index: 0 });
    expect(commandForKey(key('9'))).toEqual({ type: 'selectObject', index: 8 });
    expect(commandForKey(key('0'))).toBeNull();
    expect(commandForKey(key('Tab'))).toEqual({ type: 'cycleBox', delta: 1 });
    expect(commandForKey(key('Tab', { shiftKey: true }))).toEqual({ type: 'cycleBox', delta: -1 });
    expect(commandForKey(key('Delete'))).toEqual({ type: 'deleteBox' });
    expect(commandForKey(key('Backspace'))).toEqual({ type: 'deleteBox' });
    expect(commandForKey(key('a'))).toEqual({ type: 'toggleAudibility' });
    expect(commandForKey(key('A', { shiftKey: true }))).toEqual({ type: 'toggleAudibility' });
    expect(commandForKey(key('r'))).toEqual({ type: 'rename' });
    expect(commandForKey(key('o'))).toEqual({ type: 'addObject' });
    expect(commandForKey(key('n'))).toEqual({ type: 'nextEvent' });
    expect(commandForKey(key('p'))).toEqual({ type: 'prevEvent' });
    expect(commandForKey(key('Escape'))).toEqual({ type: 'escape' });
    expect(commandForKey(key('q'))).toBeNull();
    // Click-to-box and tracking: c arms, t follows the selected box, Enter keeps and x drops a tracked box.
    expect(commandForKey(key('c'))).toEqual({ type: 'toggleClickToBox' });
    expect(commandForKey(key('t'))).toEqual({ type: 'track' });
    // Enter and x only while a tracked box is shown, and Enter never from a focused button.
    expect(commandForKey(key('x'))).toBeNull();
    expect(commandForKey(key('Enter'))).toBeNull();
    expect(commandForKey(key('x'), true)).toEqual({ type: 'dropTracked' });
    expect(commandForKey(key('Enter'), true)).toEqual({ type: 'confirmTracked' });
    expect(commandForKey(key('Enter', { shiftKey: true }), true)).toBeNull();
    const button = document.createElement('button');
    expect(commandForKey({ ...key('Enter'), target: button }, true)).toBeNull();
  });

  it('maps Ctrl and Cmd combinations', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('z', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('s', { ctrlKey: true }))).toEqual({ type: 'save' });
    expect(commandForKey(key('s', { metaKey: true }))).toEqual({ type: 'save' });
    expect(commandForKey(key('Enter', { ctrlKey: true }))).toEqual({ type: 'accept' });
    // Ctrl + a letter that is a plain shortcut is the browser's.
    expect(commandForKey(key('a', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('n', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('a', { altKey: true }))).toBeNull();
  });

  it('leaves keys typed into a field alone, except Escape and Ctrl+S', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    for (const target of [input, textarea]) {
      for (const k of ['a', 'r', 'n', '1', ',', '.', 'ArrowLeft', 'Tab', 'Delete', 'Backspace']) {
        expect(commandForKey(key(k, { target }))).toBeNull();
      }
      expect(commandForKey(key('z', { ctrlKey: true, target }))).toBeNull();
      expect(commandForKey(key('Enter', { ctrlKey: true, target }))).toBeNull();
      expect(commandForKey(key('Escape', { target }))).toEqual({ type: 'escape' });
      expect(commandForKey(key('s', { ctrlKey: true, target }))).toEqual({ type: 'save' });
    }
    // A button or a checkbox is no text field.
    const button = document.createElement('button');
    expect(commandForKey(key('a', { target: button }))).toEqual({ type: 'toggleAudibility' });
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(commandForKey(key('n', { target: checkbox }))).toEqual({ type: 'nextEvent' });
  });

  it('ignores keys while an input method composes', () => {
    expect(commandForKey(key('a', { isComposing: true }))).toBeNull();
  });
});
