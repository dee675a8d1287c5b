import { describe, expect, it } from 'vitest';
import type { KeyLike } from '../components';
import { eventCommandForKey, questionCommandForKey, questionHelp } from './keyboard';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra,
});

describe('questionCommandForKey', () => {
  it('maps playback and the clue keys', () => {
    expect(questionCommandForKey(key(' '))).toEqual({ type: 'togglePlay' });
    expect(questionCommandForKey(key(','))).toEqual({ type: 'frameStep', delta: -1 });
    expect(questionCommandForKey(key('.'))).toEqual({ type: 'frameStep', delta: 1 });
    expect(questionCommandForKey(key('ArrowLeft'))).toEqual({ type: 'seekBy', seconds: -1 });
    expect(questionCommandForKey(key('ArrowRight', { shiftKey: true }))).toEqual({ type: 'seekBy', seconds: 5 });
    expect(questionCommandForKey(key('n'))).toEqual({ type: 'step', direction: 1 });
    expect(questionCommandForKey(key('p'))).toEqual({ type: 'step', direction: -1 });
    expect(questionCommandForKey(key('Escape'))).toEqual({ type: 'escape' });
  });

  it('leaves the decision keys, modified keys and a focused button’s Space alone', () => {
    for (const k of ['a', 'r', 's', 'f', 'Enter']) expect(questionCommandForKey(key(k))).toBeNull();
    expect(questionCommandForKey(key('n', { ctrlKey: true }))).toBeNull();
    expect(questionCommandForKey(key('ArrowLeft', { altKey: true }))).toBeNull();
    expect(questionCommandForKey(key(' ', { target: document.createElement('button') }))).toBeNull();
  });

  it('leaves typed text alone, but for Escape', () => {
    const textarea = document.createElement('textarea');
    expect(questionCommandForKey(key('n', { target: textarea }))).toBeNull();
    expect(questionCommandForKey(key(' ', { target: textarea }))).toBeNull();
    expect(questionCommandForKey(key('Escape', { target: textarea }))).toEqual({ type: 'escape' });
  });

  it('shows the clue keys only where there are clues', () => {
    expect(questionHelp(true).map(([k]) => k)).toContain('n / p');
    expect(questionHelp(false).map(([k]) => k)).not.toContain('n / p');
  });
});

describe('eventCommandForKey', () => {
  it('steps through the seconds with arrows or n / p', () => {
    expect(eventCommandForKey(key('ArrowRight'))).toEqual({ type: 'step', direction: 1 });
    expect(eventCommandForKey(key('n'))).toEqual({ type: 'step', direction: 1 });
    expect(eventCommandForKey(key('ArrowLeft'))).toEqual({ type: 'step', direction: -1 });
    expect(eventCommandForKey(key('p'))).toEqual({ type: 'step', direction: -1 });
    expect(eventCommandForKey(key('a'))).toBeNull();
    expect(eventCommandForKey(key('ArrowRight', { target: document.createElement('input') }))).toBeNull();
  });
});
