import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_RETRY_MS, MAX_RETRY_MS, retriesLater, SaveTimers, UNSAVED_STATUSES } from './autosave';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SaveTimers', () => {
  it('saves once the debounce has passed without another change', () => {
    const save = vi.fn();
    const timers = new SaveTimers(save, 500);
    timers.debounce();
    vi.advanceTimersByTime(400);
    timers.debounce();
    vi.advanceTimersByTime(400);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(save).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('cancelDebounce drops the waiting save and leaves a retry alone', () => {
    const save = vi.fn();
    const timers = new SaveTimers(save, 500);
    timers.retry();
    timers.debounce();
    timers.cancelDebounce();
    vi.advanceTimersByTime(500);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(FIRST_RETRY_MS - 500);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('retries after 1 s, 2 s, 4 s ... up to MAX_RETRY_MS', () => {
    const save = vi.fn();
    const timers = new SaveTimers(save, 500);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      timers.retry();
      let waited = 0;
      while (save.mock.calls.length === attempt) {
        vi.advanceTimersByTime(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(MAX_RETRY_MS).toBe(30_000);
  });

  it('a new retry replaces the waiting one; resetBackoff starts the delays over', () => {
    const save = vi.fn();
    const timers = new SaveTimers(save, 500);
    timers.retry(); // 1 s, the next waits 2 s
    timers.retry(); // replaces it: 2 s
    vi.advanceTimersByTime(1999);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save).toHaveBeenCalledTimes(1);
    timers.resetBackoff();
    timers.retry();
    vi.advanceTimersByTime(FIRST_RETRY_MS);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('cancelRetry and cancel stop what waits', () => {
    const save = vi.fn();
    const timers = new SaveTimers(save, 500);
    timers.retry();
    timers.cancelRetry();
    timers.debounce();
    timers.retry();
    timers.cancel();
    vi.advanceTimersByTime(60_000);
    expect(save).not.toHaveBeenCalled();
  });
});

describe('retriesLater', () => {
  it('is true for no answer and for errors marked retry', () => {
    expect(retriesLater({ kind: 'offline' })).toBe(true);
    expect(retriesLater({ kind: 'error', retry: true })).toBe(true);
    expect(retriesLater({ kind: 'error', retry: false })).toBe(false);
    expect(retriesLater({ kind: 'ok' })).toBe(false);
    expect(retriesLater({ kind: 'conflict' })).toBe(false);
    expect(retriesLater({ kind: 'invalid' })).toBe(false);
  });
});

describe('UNSAVED_STATUSES', () => {
  it('is every status but saved', () => {
    expect([...UNSAVED_STATUSES].sort()).toEqual(['conflict', 'error', 'invalid', 'offline', 'pending', 'saving']);
  });
});
