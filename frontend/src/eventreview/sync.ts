import { MAX_RETRY_MS, retriesLater, SaveTimers, type SaveStatus } from '../shared/autosave';
import { ExternalStore } from '../shared/externalStore';
import type { SaveOptions, SaveResult } from './api';
import { NO_ERRORS, placeErrors, type KeyedErrors } from './errors';
import { isDirty, putBody, validate, type ReviewDoc } from './state';
import type { ReviewStore } from './store';
import type { EventDoc, PutBody } from './types';

export { MAX_RETRY_MS, type SaveStatus };

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

export const LOCAL_INVALID_MESSAGE = 'Not saved: fix the marked problems first.';

/**
 * Keeps the server's copy of the event up to date: a debounced PUT of the
 * whole document after each change, one request at a time, retries with
 * backoff while offline, and a stop on 409 until the reviewer chooses
 * between the versions. React reads it through `subscribe` / `getSnapshot`.
 */
export class ReviewSync {
  private readonly snapshots: ExternalStore<SyncSnapshot>;
  private readonly timers: SaveTimers;
  private inFlight: Promise<boolean> | null = null;
  private disposed = false;
  private readonly deps: SyncDeps;

  constructor(server: EventDoc, deps: SyncDeps) {
    this.deps = deps;
    this.timers = new SaveTimers(() => void this.flush(), deps.debounceMs ?? DEBOUNCE_MS);
    this.snapshots = new ExternalStore<SyncSnapshot>({
      status: 'saved',
      server,
      version: server.version,
      conflict: null,
      errors: NO_ERRORS,
      message: null,
      accepting: false,
      acceptedVersion: null,
    });
  }

  subscribe = (listener: () => void): (() => void) => this.snapshots.subscribe(listener);

  getSnapshot = (): SyncSnapshot => this.snapshots.get();

  private get snapshot(): SyncSnapshot {
    return this.snapshots.get();
  }

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

  /** The document was edited: save it after the debounce. */
  changed(): void {
    if (!this.editable || this.disposed) return;
    if (!this.dirty) {
      // Undone back to what the server has: nothing to send.
      this.timers.cancelDebounce();
      if (['pending', 'invalid', 'error', 'offline'].includes(this.snapshot.status)) {
        this.timers.cancelRetry();
        this.snapshots.patch({ status: 'saved', message: null });
      }
      return;
    }
    if (this.snapshot.status === 'conflict') return;
    if (this.snapshot.status === 'saved' || this.snapshot.status === 'invalid') {
      this.snapshots.patch({ status: 'pending' });
    }
    this.timers.debounce();
  }

  private async idle(): Promise<void> {
    while (this.inFlight !== null) await this.inFlight;
  }

  /** The local checks pass; otherwise the status says why nothing was sent. */
  private checked(doc: ReviewDoc): boolean {
    if (Object.keys(validate(doc)).length === 0) return true;
    this.snapshots.patch({ status: 'invalid', message: LOCAL_INVALID_MESSAGE, errors: NO_ERRORS });
    return false;
  }

  /**
   * Saves now (after the request in flight, if any). Resolves true when the
   * server has the document as it is, false otherwise.
   */
  async flush(options?: SaveOptions): Promise<boolean> {
    this.timers.cancelDebounce();
    await this.idle();
    if (this.disposed || !this.editable || this.snapshot.accepting || this.snapshot.status === 'conflict') return false;
    const doc = this.deps.store.getState().present;
    if (!this.dirty) {
      if (this.snapshot.status !== 'saved') this.snapshots.patch({ status: 'saved', errors: NO_ERRORS, message: null });
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
    this.timers.cancelDebounce();
    await this.idle();
    if (this.snapshot.status === 'conflict' || !this.editable) return false;
    const doc = this.deps.store.getState().present;
    if (!this.checked(doc)) return false;
    this.snapshots.patch({ accepting: true });
    try {
      return await this.send(doc, true);
    } finally {
      this.snapshots.patch({ accepting: false });
    }
  }

  private send(doc: ReviewDoc, accept: boolean, options?: SaveOptions): Promise<boolean> {
    this.timers.cancelRetry();
    this.snapshots.patch({ status: 'saving' });
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
    if (!retriesLater(result)) this.timers.resetBackoff();
    switch (result.kind) {
      case 'ok': {
        const store = this.deps.store;
        store.dispatch(accept ? { type: 'reset', server: result.doc } : { type: 'saved', sent, server: result.doc });
        const clean = !this.dirty;
        this.snapshots.patch({
          status: clean ? 'saved' : 'pending',
          server: result.doc,
          version: result.doc.version,
          errors: NO_ERRORS,
          message: null,
          ...(accept ? { acceptedVersion: result.doc.version } : {}),
        });
        // Edits made while the request ran go with the next save, on the new version.
        if (!clean) this.timers.debounce();
        return clean;
      }
      case 'conflict':
        this.timers.cancelDebounce();
        this.snapshots.patch({ status: 'conflict', conflict: { current: result.current, message: result.message } });
        return false;
      case 'invalid':
        this.snapshots.patch({ status: 'invalid', errors: placeErrors(sent, result.errors), message: result.detail });
        return false;
      case 'offline':
        this.snapshots.patch({ status: 'offline', message: null });
        this.timers.retry();
        return false;
      case 'error':
        this.snapshots.patch({ status: 'error', message: result.message });
        if (result.retry) this.timers.retry();
        return false;
    }
  }

  /** The browser is back online: retry at once. */
  online(): void {
    if (this.snapshot.status === 'offline' || this.snapshot.status === 'error') {
      this.timers.cancelRetry();
      void this.flush();
    }
  }

  /** Keeps our document and saves it on top of the newer version. */
  reapply(): Promise<boolean> {
    const conflict = this.snapshot.conflict;
    if (conflict === null || !conflict.current.editable) return Promise.resolve(false);
    this.deps.store.dispatch({ type: 'rebase', server: conflict.current });
    this.snapshots.patch({
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
    this.timers.cancel();
    this.deps.store.dispatch({ type: 'reset', server });
    this.snapshots.patch({ status: 'saved', server, version: server.version, conflict: null, errors: NO_ERRORS, message: null });
  }

  /** Works again after `dispose` (React's StrictMode unmounts and mounts again in development). */
  start(): void {
    this.disposed = false;
  }

  /** Stops the timers (unmount). */
  dispose(): void {
    this.disposed = true;
    this.timers.cancel();
  }
}
