import type { SaveOptions, SaveResult } from './api';
import { NO_ERRORS, placeErrors, type KeyedErrors } from './errors';
import { isDirty, putBody, validate, type ReviewDoc } from './state';
import type { ReviewStore } from './store';
import type { EventDoc, PutBody } from './types';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'offline' | 'conflict' | 'invalid' | 'error';

export interface SyncSnapshot {
  status: SaveStatus;
  /** The newest server document this page knows. */
  server: EventDoc;
  /** The version the edits are based on: the one the next save sends. */
  version: number;
  /** 409: the server's newer document, shown beside ours until the reviewer chooses. */
  conflict: { current: EventDoc; message: string } | null;
  /** 400: the server's messages on the items they name. */
  errors: KeyedErrors;
  /** What went wrong, in words (400 detail, 403 detail, HTTP failure). */
  message: string | null;
  /** An accept is on its way: no edits meanwhile. */
  accepting: boolean;
  /** The version an accept of this page produced (null: none yet). */
  acceptedVersion: number | null;
}

export interface SyncDeps {
  store: ReviewStore;
  /** PUT the body. */
  save(body: PutBody, options?: SaveOptions): Promise<SaveResult>;
  debounceMs?: number;
}

/** Autosave waits this long after the last change. */
export const DEBOUNCE_MS = 1000;
/** Retries after a network failure wait 1 s, 2 s, 4 s ... up to this. */
export const MAX_RETRY_MS = 30_000;
const FIRST_RETRY_MS = 1000;

export const LOCAL_INVALID_MESSAGE = 'Not saved: fix the marked problems first.';

/**
 * Keeps the server's copy of the event up to date: a debounced PUT of the
 * whole document after each change, one request at a time, retries with
 * backoff while offline, and a stop on 409 until the reviewer chooses
 * between the versions. React reads it through `subscribe` / `getSnapshot`.
 */
export class ReviewSync {
  private snapshot: SyncSnapshot;
  private readonly listeners = new Set<() => void>();
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = FIRST_RETRY_MS;
  private inFlight: Promise<boolean> | null = null;
  private disposed = false;
  private readonly deps: SyncDeps;

  constructor(server: EventDoc, deps: SyncDeps) {
    this.deps = deps;
    this.snapshot = {
      status: 'saved',
      server,
      version: server.version,
      conflict: null,
      errors: NO_ERRORS,
      message: null,
      accepting: false,
      acceptedVersion: null,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SyncSnapshot => this.snapshot;

  /** The server lets this reviewer change the event (and the newer version of a conflict, if any). */
  get editable(): boolean {
    return this.snapshot.server.editable && !this.locked;
  }

  /** A 409 told that the event can no longer be edited here. */
  get locked(): boolean {
    const conflict = this.snapshot.conflict;
    return conflict !== null && !conflict.current.editable;
  }

  private get dirty(): boolean {
    return isDirty(this.deps.store.getState());
  }

  private set(patch: Partial<SyncSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private clearDebounce(): void {
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private scheduleSave(): void {
    this.clearDebounce();
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.flush();
    }, this.deps.debounceMs ?? DEBOUNCE_MS);
  }

  private scheduleRetry(): void {
    this.clearRetry();
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
  }

  /** The document was edited: save it after the debounce. */
  changed(): void {
    if (!this.editable || this.disposed) return;
    if (!this.dirty) {
      // Undone back to what the server has: nothing to send.
      this.clearDebounce();
      if (['pending', 'invalid', 'error', 'offline'].includes(this.snapshot.status)) {
        this.clearRetry();
        this.set({ status: 'saved', message: null });
      }
      return;
    }
    if (this.snapshot.status === 'conflict') return;
    if (this.snapshot.status === 'saved' || this.snapshot.status === 'invalid') {
      this.set({ status: 'pending' });
    }
    this.scheduleSave();
  }

  private async idle(): Promise<void> {
    while (this.inFlight !== null) await this.inFlight;
  }

  /** The local checks pass; otherwise the status says why nothing was sent. */
  private checked(doc: ReviewDoc): boolean {
    if (Object.keys(validate(doc)).length === 0) return true;
    this.set({ status: 'invalid', message: LOCAL_INVALID_MESSAGE, errors: NO_ERRORS });
    return false;
  }

  /**
   * Saves now (after the request in flight, if any). Resolves true when the
   * server has the document as it is, false otherwise.
   */
  async flush(options?: SaveOptions): Promise<boolean> {
    this.clearDebounce();
    await this.idle();
    if (this.disposed || !this.editable || this.snapshot.accepting || this.snapshot.status === 'conflict') return false;
    const doc = this.deps.store.getState().present;
    if (!this.dirty) {
      if (this.snapshot.status !== 'saved') this.set({ status: 'saved', errors: NO_ERRORS, message: null });
      return true;
    }
    if (!this.checked(doc)) return false;
    return this.send(doc, false, options);
  }

  /** Saves until the server has the document as it is (edits made meanwhile included), or a save fails. */
  async settle(): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await this.flush()) return true;
      if (this.snapshot.status !== 'pending') return false;
    }
    return false;
  }

  /** Saves the document with `accept: true` (the event becomes accepted). */
  async accept(): Promise<boolean> {
    if (this.disposed || !this.editable || this.snapshot.accepting) return false;
    this.clearDebounce();
    await this.idle();
    if (this.snapshot.status === 'conflict' || !this.editable) return false;
    const doc = this.deps.store.getState().present;
    if (!this.checked(doc)) return false;
    this.set({ accepting: true });
    try {
      return await this.send(doc, true);
    } finally {
      this.set({ accepting: false });
    }
  }

  private send(doc: ReviewDoc, accept: boolean, options?: SaveOptions): Promise<boolean> {
    this.clearRetry();
    this.set({ status: 'saving' });
    const body = putBody(this.snapshot.version, doc, accept);
    const request = options === undefined ? this.deps.save(body) : this.deps.save(body, options);
    const run = request.then((result) => {
      this.inFlight = null;
      return this.handle(result, doc, accept);
    });
    this.inFlight = run;
    return run;
  }

  private handle(result: SaveResult, sent: ReviewDoc, accept: boolean): boolean {
    if (this.disposed) return false;
    if (result.kind !== 'offline' && !(result.kind === 'error' && result.retry)) {
      this.retryDelay = FIRST_RETRY_MS;
    }
    switch (result.kind) {
      case 'ok': {
        const store = this.deps.store;
        store.dispatch(accept ? { type: 'reset', server: result.doc } : { type: 'saved', sent, server: result.doc });
        const clean = !this.dirty;
        this.set({
          status: clean ? 'saved' : 'pending',
          server: result.doc,
          version: result.doc.version,
          errors: NO_ERRORS,
          message: null,
          ...(accept ? { acceptedVersion: result.doc.version } : {}),
        });
        // Edits made while the request ran go with the next save, on the new version.
        if (!clean) this.scheduleSave();
        return clean;
      }
      case 'conflict':
        this.clearDebounce();
        this.set({ status: 'conflict', conflict: { current: result.current, message: result.message } });
        return false;
      case 'invalid':
        this.set({ status: 'invalid', errors: placeErrors(sent, result.errors), message: result.detail });
        return false;
      case 'offline':
        this.set({ status: 'offline', message: null });
        this.scheduleRetry();
        return false;
      case 'error':
        this.set({ status: 'error', message: result.message });
        if (result.retry) this.scheduleRetry();
        return false;
    }
  }

  /** The browser is back online: retry at once. */
  online(): void {
    if (this.snapshot.status === 'offline' || this.snapshot.status === 'error') {
      this.clearRetry();
      void this.flush();
    }
  }

  /** Keeps our document and saves it on top of the newer version. */
  reapply(): Promise<boolean> {
    const conflict = this.snapshot.conflict;
    if (conflict === null || !conflict.current.editable) return Promise.resolve(false);
    this.deps.store.dispatch({ type: 'rebase', server: conflict.current });
    this.set({
      status: 'pending',
      server: conflict.current,
      version: conflict.current.version,
      conflict: null,
      errors: NO_ERRORS,
      message: null,
    });
    return this.flush();
  }

  /** Drops our changes for the server's newer version. */
  discard(): boolean {
    const conflict = this.snapshot.conflict;
    if (conflict === null) return false;
    this.adopt(conflict.current);
    return true;
  }

  /** The server's document is the truth now. */
  adopt(server: EventDoc): void {
    this.clearDebounce();
    this.clearRetry();
    this.deps.store.dispatch({ type: 'reset', server });
    this.set({ status: 'saved', server, version: server.version, conflict: null, errors: NO_ERRORS, message: null });
  }

  /** Works again after `dispose` (React's StrictMode unmounts and mounts again in development). */
  start(): void {
    this.disposed = false;
  }

  /** Stops the timers (unmount). */
  dispose(): void {
    this.disposed = true;
    this.clearDebounce();
    this.clearRetry();
  }
}
