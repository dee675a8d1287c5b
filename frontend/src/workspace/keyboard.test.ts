import { describe, expect, it } from 'vitest';
import type { KeyLike } from '../components';
import { commandForKey } from './keyboard';

function key(k: string, extra: Partial<KeyLike> = {}): KeyLike {
  return { key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra };
}

describe('commandForKey', () => {
  it('maps the playback and marking keys', () => {
    expect(commandForKey(key(' '))).toEqual({ type: 'togglePlay' });
    expect(commandForKey(key(','))).toEqual({ type: 'frameStep', delta: -1 });
    expect(commandForKey(key('.'))).toEqual({ type: 'frameStep', delta: 1 });
    expect(commandForKey(key('ArrowLeft'))).toEqual({ type: 'seekBy', seconds: -1 });
    expect(commandForKey(key('ArrowRight', { shiftKey: true }))).toEqual({ type: 'seekBy', seconds: 5 });
    expect(commandForKey(key('ArrowLeft', { shiftKey: true }))).toEqual({ type: 'seekBy', seconds: -5 });
    expect(commandForKey(key('['))).toEqual({ type: 'setRefStart' });
    expect(commandForKey(key(']'))).toEqual({ type: 'setRefEnd' });
    expect(commandForKey(key('i'))).toEqual({ type: 'eventStart' });
    expect(commandForKey(key('O'))).toEqual({ type: 'eventEnd' });
    expect(commandForKey(key('n'))).toEqual({ type: 'nextCluster' });
    expect(commandForKey(key('Delete'))).toEqual({ type: 'deleteSelected' });
    expect(commandForKey(key('Backspace'))).toEqual({ type: 'deleteSelected' });
    expect(commandForKey(key('x'))).toBeNull();
  });

  it('maps undo, redo and submit with Ctrl or Cmd', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(commandForKey(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('z', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(key('Enter', { ctrlKey: true }))).toEqual({ type: 'submit' });
    expect(commandForKey(key('Enter', { metaKey: true }))).toEqual({ type: 'submit' });
    expect(commandForKey(key('i', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('i', { altKey: true }))).toBeNull();
  });

  it('leaves keys typed into fields alone, except Escape', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    for (const target of [input, textarea, document.createElement('select')]) {
      expect(commandForKey(key('i', { target }))).toBeNull();
      expect(commandForKey(key(' ', { target }))).toBeNull();
      expect(commandForKey(key('z', { target, ctrlKey: true }))).toBeNull();
      expect(commandForKey(key('Enter', { target, ctrlKey: true }))).toBeNull();
      expect(commandForKey(key('Escape', { target }))).toEqual({ type: 'escape' });
    }
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(commandForKey(key('i', { target: checkbox }))).toEqual({ type: 'eventStart' });
    expect(commandForKey(key('i', { target: textarea, isComposing: true }))).toBeNull();
  });

  it('arrows always seek, with a box selected too; only Alt+arrows move the selected box', () => {
    expect(commandForKey(key('ArrowRight'))).toEqual({ type: 'seekBy', seconds: 1 });
    expect(commandForKey(key('ArrowRight', { shiftKey: true }))).toEqual({ type: 'seekBy', seconds: 5 });
    expect(commandForKey(key('ArrowRight', { altKey: true }))).toEqual({ type: 'nudgeSelected', dx: 1, dy: 0 });
    expect(commandForKey(key('ArrowUp', { altKey: true, shiftKey: true }))).toEqual({ type: 'nudgeSelected', dx: 0, dy: -10 });
    expect(commandForKey(key('ArrowUp'))).toBeNull();
    expect(commandForKey(key('ArrowLeft', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('ArrowLeft', { altKey: true, target: document.createElement('input') }))).toBeNull();
  });

  it('lets Space activate the focused button', () => {
    expect(commandForKey(key(' ', { target: document.createElement('button') }))).toBeNull();
    expect(commandForKey(key('.', { target: document.createElement('button') }))).toEqual({ type: 'frameStep', delta: 1 });
  });
});
