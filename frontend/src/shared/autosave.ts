/**
 * The pieces the autosaving islands (the question workspace, the event
 * review) share: the save states, and the timers of a debounced save with
 * retries that back off while the server cannot be reached.
 */

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'offline' | 'conflict' | 'invalid' | 'error';

/** Save states in which leaving the page would lose (or strand in the browser) the user's work. */
export const UNSAVED_STATUSES: readonly SaveStatus[] = ['pending', 'saving', 'invalid', 'conflict', 'error', 'offline'];

/** The first retry after a network failure waits this long; each next one twice as long ... */
export const FIRST_RETRY_MS = 1000;
/** ... up to this. */
export const MAX_RETRY_MS = 30_000;

/** A save answer after which trying again later may help: no answer at all, or an error marked `retry` (5xx, 429, 408). */
export const retriesLater = (result: { kind: string; retry?: boolean }): boolean =>
  result.kind === 'offline' || (result.kind === 'error' && result.retry === true);

/**
 * Two timers that run the same save: `debounce` (re)starts the wait after
 * a change; `retry` waits 1 s, 2 s, 4 s ... up to `MAX_RETRY_MS` between
 * failed attempts, until `resetBackoff` (an answer that is not worth
 * retrying). Starting a timer replaces the one of its kind that waits.
 */
export class SaveTimers {
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = FIRST_RETRY_MS;
  private readonly save: () => void;
  private readonly debounceMs: number;

  constructor(save: () => void, debounceMs: number) {
    this.save = save;
    this.debounceMs = debounceMs;
  }

  /** Saves once `debounceMs` have passed without another call. */
  debounce(): void {
    this.cancelDebounce();
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.save();
    }, this.debounceMs);
  }

  cancelDebounce(): void {
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }

  /** Saves again after the backoff delay, which doubles for the next retry. */
  retry(): void {
    this.cancelRetry();
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.save();
    }, delay);
  }

  cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** The next retry waits the first delay again. */
  resetBackoff(): void {
    this.retryDelay = FIRST_RETRY_MS;
  }

  /** Stops both timers (the backoff is kept). */
  cancel(): void {
    this.cancelDebounce();
    this.cancelRetry();
  }
}
