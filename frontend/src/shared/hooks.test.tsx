import { act, cleanup, render } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useKeyCommands, useLatest, useSaveOnLeave, type LeavingSaver } from './hooks';

afterEach(cleanup);

describe('useLatest', () => {
  it('holds the value of the latest render in the same ref', () => {
    const refs: { current: number }[] = [];
    function Probe({ value }: { value: number }) {
      refs.push(useLatest(value));
      return null;
    }
    const { rerender } = render(<Probe value={1} />);
    expect(refs[0]!.current).toBe(1);
    rerender(<Probe value={2} />);
    expect(refs[1]).toBe(refs[0]);
    expect(refs[0]!.current).toBe(2);
  });
});

describe('useKeyCommands', () => {
  const commandForKey = (event: KeyboardEvent): string | null => (event.key === 'x' ? 'cut' : null);

  it('runs the mapped command with the latest run, prevents the default, and stops on unmount', () => {
    const seen: string[] = [];
    let setLabel: (label: string) => void = () => undefined;
    function Keys() {
      const [label, set] = useState('first');
      setLabel = set;
      useKeyCommands(commandForKey, (command, target) => seen.push(`${label}:${command}:${target === document.body}`));
      return null;
    }
    const { unmount } = render(<Keys />);
    const press = (key: string, init: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
      document.body.dispatchEvent(event);
      return event;
    };
    expect(press('x').defaultPrevented).toBe(true);
    expect(press('y').defaultPrevented).toBe(false);
    act(() => setLabel('second'));
    press('x');
    expect(seen).toEqual(['first:cut:true', 'second:cut:true']);

    // A key another handler took is left alone.
    const taker = (event: Event) => event.preventDefault();
    document.body.addEventListener('keydown', taker);
    press('x');
    document.body.removeEventListener('keydown', taker);
    expect(seen).toHaveLength(2);

    unmount();
    press('x');
    expect(seen).toHaveLength(2);
  });
});

describe('useSaveOnLeave', () => {
  function setup(unsaved: () => boolean) {
    const saver = {
      flush: vi.fn<LeavingSaver['flush']>().mockResolvedValue(true),
      online: vi.fn<LeavingSaver['online']>(),
    };
    function Leaving() {
      useSaveOnLeave(saver, unsaved);
      return null;
    }
    const view = render(<Leaving />);
    return { saver, ...view };
  }

  const beforeUnload = () => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event;
  };

  it('saves on blur, on a hidden tab and (keepalive) on pagehide; retries when online', () => {
    const { saver } = setup(() => false);
    window.dispatchEvent(new Event('blur'));
    expect(saver.flush).toHaveBeenLastCalledWith();
    window.dispatchEvent(new Event('pagehide'));
    expect(saver.flush).toHaveBeenLastCalledWith({ keepalive: true });
    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(saver.flush).toHaveBeenCalledTimes(2);
    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(saver.flush).toHaveBeenCalledTimes(3);
    window.dispatchEvent(new Event('online'));
    expect(saver.online).toHaveBeenCalledTimes(1);
  });

  it('warns before leaving only while unsaved, and stops listening on unmount', () => {
    let unsaved = false;
    const { saver, unmount } = setup(() => unsaved);
    expect(beforeUnload().defaultPrevented).toBe(false);
    unsaved = true;
    expect(beforeUnload().defaultPrevented).toBe(true);
    unmount();
    expect(beforeUnload().defaultPrevented).toBe(false);
    window.dispatchEvent(new Event('blur'));
    window.dispatchEvent(new Event('online'));
    expect(saver.flush).not.toHaveBeenCalled();
    expect(saver.online).not.toHaveBeenCalled();
  });
});
