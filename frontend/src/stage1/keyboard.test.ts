import { describe, expect, it } from 'vitest';
import { commandForKey, type KeyLike } from './keyboard';

const el = (html: string): Element => {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host.firstElementChild!;
};

const key = (k: string, over: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: document.body,
  ...over,
});

describe('commandForKey', () => {
  it.each([
    ['j', 'next'],
    ['ArrowDown', 'next'],
    ['k', 'prev'],
    ['ArrowUp', 'prev'],
    ['a', 'accept'],
    ['r', 'reject'],
    ['e', 'edit'],
    ['n', 'new'],
    ['p', 'play'],
    [' ', 'play'],
    ['J', 'next'],
  ])('%j -> %s', (k, command) => {
    expect(commandForKey(key(k), false)).toBe(command);
  });

  it('ignores other keys and modified keys', () => {
    expect(commandForKey(key('x'), false)).toBeNull();
    expect(commandForKey(key('Enter'), false)).toBeNull();
    expect(commandForKey(key('r', { ctrlKey: true }), false)).toBeNull();
    expect(commandForKey(key('a', { metaKey: true }), false)).toBeNull();
    expect(commandForKey(key('a', { isComposing: true }), false)).toBeNull();
  });

  it('leaves typing alone except Esc', () => {
    const input = el('<input type="text">');
    expect(commandForKey(key('j', { target: input }), false)).toBeNull();
    expect(commandForKey(key(' ', { target: input }), false)).toBeNull();
    expect(commandForKey(key('Escape', { target: input }), true)).toBe('blur');
    expect(commandForKey(key('Escape', { target: input }), false)).toBe('blur');
  });

  it('leaves Space and arrows to buttons and the video', () => {
    expect(commandForKey(key(' ', { target: el('<button></button>') }), false)).toBeNull();
    expect(commandForKey(key('ArrowUp', { target: el('<video></video>') }), false)).toBeNull();
    expect(commandForKey(key('j', { target: el('<button></button>') }), false)).toBe('next');
  });

  it('with a form open only Esc and play work', () => {
    expect(commandForKey(key('j'), true)).toBeNull();
    expect(commandForKey(key('a'), true)).toBeNull();
    expect(commandForKey(key('p'), true)).toBe('play');
    expect(commandForKey(key('Escape'), true)).toBe('cancel');
    expect(commandForKey(key('Escape'), false)).toBeNull();
  });
});
