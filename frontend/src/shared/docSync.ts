import { retriesLater, SaveTimers, type SaveStatus } from './autosave';
import { ExternalStore } from './externalStore';
import type { SaveOptions } from './http';

export type { SaveStatus };

/** The answer to a PUT of a versioned document. */
export type SaveResult<Server> =
  | { kind: 'ok'; doc: Server }
  /** 409: someone saved a newer version; `current` is it. */
  | { kind: 'conflict'; current: Server; message: string }
  /** 400: the server's detail and its messages keyed like "text", "clues[3]", "objects[1].boxes[2]". */
  | { kind: 'invalid'; detail: string; errors: Record<string, string> }
  /** The request never got an answer (no network, server unreachable). */
  | { kind: 'offline' }
  /** Any other answer (403 included); `retry` when trying again later may help (5xx, 429). */
  | { kind: 'error'; message: string; retry: boolean; status?: number };

/** How a save is sent: `keepalive` outlives the page (`pagehide`); `finish` also closes the document (the review's accept). */
export interface SaveRequest {
  keepalive: boolean;
  finish: boolean;
}

export interface SyncSnapshot<Server, Errors> {
  status: SaveStatus;
  /** The newest server document this page knows. */
  server: Server;
  /** The version the edits are based on: the one the next save sends. */
  version: number;
  /** 409: the server's newer document, shown beside ours until the user chooses. */
  conflict: { current: Server; message: string } | null;
  /** 400: the server's messages, placed as the page shows them. */
  errors: Errors;
  /** What went wrong, in words (400 detail, 403 detail, HTTP failure, local checks). */
  message: string | null;
  /** A finishing save is on its way (no edits meanwhile); the version one produced (null: none yet). */
  finishing: boolean;
  finishedVersion: number | null;
}

/** What the machine needs of a document type and its API. */
export interface DocSyncDeps<Doc, Server, Errors> {
  /** PUT `doc` with the version it was made on. */
  save(version: number, doc: Doc, request: SaveRequest): Promise<SaveResult<Server>>;
  /** The document as it is being edited now. */
  getDoc(): Doc;
  /** The document differs from the one the server holds, as far as this page knows. */
  isDirty(): boolean;
  /** The server holds `sent` now, as `server` (`finished`: by a finishing save): move the baseline there. */
  saved(sent: Doc, server: Server, finished: boolean): void;
  /** Keep the edits, now based on `server` (re-apply after a 409). */
  rebase(server: Server): void;
  /** `server` is the truth: the edits are dropped. */
  reset(server: Server): void;
  /** The server lets this user change the document it sent. */
  isEditable(server: Server): boolean;
  /** The messages of a 400 to a save of `sent`, placed as the page shows them; `noErrors`: none. */
  placeErrors(sent: Doc, errors: Record<string, string>): Errors;
  noErrors: Errors;
  /** Why `doc` cannot be sent as it is (local checks), or null when it can. */
  check?(doc: Doc): string | null;
  /** The journal of unsaved changes (e.g. localStorage): written before anything is sent, cleared once the server has it all. */
  journal?: { save(version: number, doc: Doc): void; clear(): void };
  /** Autosave waits this long after the last change. */
  debounceMs: number;
}


/**
 * Keeps the server's copy of a versioned document up to date: a debounced
 * PUT of the whole document after each change, one request at a time, the
 * journal written before anything is sent, retries with backoff while
 * offline, a stop on 409 (the local edits kept, the server's document shown)
 * until the user re-applies or discards, and a save that outlives the page.
 * React reads it through `subscribe` / `getSnapshot` (useSyncExternalStore).
 */
export class DocSync<Doc, Server extends { version: number }, Errors = Record<string, string>> {
  private readonly snapshots: ExternalStore<SyncSnapshot<Server, Errors>>;
  private readonly timers: SaveTimers;
  private inFlight: Promise<boolean> | null = null;
  private disposed = false;
  private readonly deps: DocSyncDeps<Doc, Server, Errors>;

  constructor(server: Server, deps: DocSyncDeps<Doc, Server, Errors>) {
    this.deps = deps;
    this.timers = new SaveTimers(() => void this.flush(), deps.debounceMs);
    this.snapshots = new ExternalStore<SyncSnapshot<Server, Errors>>({
      status: 'saved',
      server,
      version: server.version,
      conflict: null,
      errors: deps.noErrors,
      message: null,
      finishing: false,
      finishedVersion: null,
    });
  }

  subscribe = (listener: () => void): (() => void) => this.snapshots.subscribe(listener);
  getSnapshot = (): SyncSnapshot<Server, Errors> => this.snapshots.get();
  private get snapshot(): SyncSnapshot<Server, Errors> {
    return this.snapshots.get();
  }
  private patch(patch: Partial<SyncSnapshot<Server, Errors>>): void {
    this.snapshots.patch(patch);
  }
  /** Saved and clean: no errors or message left over. */
  private clean(): Partial<SyncSnapshot<Server, Errors>> {
    return { status: 'saved', errors: this.deps.noErrors, message: null };
  }

  /** The server lets this user change the document (and the newer version of a conflict, if any). */
  get editable(): boolean {
    return this.deps.isEditable(this.snapshot.server) && !this.locked;
  }

  /** A 409 told that the document can no longer be edited here: nothing more can be saved. */
  get locked(): boolean {
    const conflict = this.snapshot.conflict;
    return conflict !== null && !this.deps.isEditable(conflict.current);
  }

  /** The document differs from the server's copy. */
  get dirty(): boolean {
    return this.deps.isDirty();
  }

  /** The document was edited: journal it and save it after the debounce. */
  changed(): void {
    if (!this.editable || this.disposed) return;
    if (!this.dirty) {
      // Undone back to what the server has: nothing to send.
      this.timers.cancelDebounce();
      this.deps.journal?.clear();
      if (['pending', 'invalid', 'error', 'offline'].includes(this.snapshot.status)) {
        this.timers.cancelRetry();
        this.patch(this.clean());
      }
      return;
    }
    this.deps.journal?.save(this.snapshot.version, this.deps.getDoc());
    if (this.snapshot.status === 'conflict') return;
    if (this.snapshot.status === 'saved' || this.snapshot.status === 'invalid') this.patch({ status: 'pending' });
    this.timers.debounce();
  }

  /** The local checks pass; otherwise the status says why nothing was sent. */
  private checked(doc: Doc): boolean {
    const problem = this.deps.check?.(doc) ?? null;
    if (problem === null) return true;
    this.patch({ status: 'invalid', message: problem, errors: this.deps.noErrors });
    return false;
  }

  /**
   * Saves now (after the request in flight, if any). Resolves true when the
   * server has the document as it is, false otherwise.
   */
  async flush(options: SaveOptions = {}): Promise<boolean> {
    this.timers.cancelDebounce();
    // One request at a time (no wait at all when none is in flight).
    while (this.inFlight !== null) await this.inFlight;
    if (this.disposed || !this.editable || this.snapshot.finishing || this.snapshot.status === 'conflict') return false;
    if (!this.dirty) {
      this.deps.journal?.clear();
      if (this.snapshot.status !== 'saved') this.patch(this.clean());
      return true;
    }
    const doc = this.deps.getDoc();
    if (!this.checked(doc)) return false;
    return this.send(doc, { keepalive: options.keepalive === true, finish: false });
  }

  /** Saves until the server has the document as it is (edits made meanwhile included), or a save fails. */
  async settle(): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await this.flush()) return true;
      if (this.snapshot.status !== 'pending') return false;
    }
    return false;
  }

  /** Saves the document with the finishing flag (the event review's accept). */
  async finish(): Promise<boolean> {
    if (this.disposed || !this.editable || this.snapshot.finishing) return false;
    this.timers.cancelDebounce();
    while (this.inFlight !== null) await this.inFlight;
    if (this.snapshot.status === 'conflict' || !this.editable) return false;
    const doc = this.deps.getDoc();
    if (!this.checked(doc)) return false;
    this.patch({ finishing: true });
    try {
      return await this.send(doc, { keepalive: false, finish: true });
    } finally {
      this.patch({ finishing: false });
    }
  }

  private send(doc: Doc, request: SaveRequest): Promise<boolean> {
    this.timers.cancelRetry();
    this.patch({ status: 'saving' });
    const run = this.deps.save(this.snapshot.version, doc, request).then((result) => {
      this.inFlight = null;
      return this.handle(result, doc, request.finish);
    });
    this.inFlight = run;
    return run;
  }

  private handle(result: SaveResult<Server>, sent: Doc, finish: boolean): boolean {
    if (this.disposed) return false;
    if (!retriesLater(result)) this.timers.resetBackoff();
    switch (result.kind) {
      case 'ok': {
        this.deps.saved(sent, result.doc, finish);
        const clean = !this.dirty;
        this.patch({
          ...this.clean(),
          status: clean ? 'saved' : 'pending',
          server: result.doc,
          version: result.doc.version,
          ...(finish ? { finishedVersion: result.doc.version } : {}),
        });
        if (clean) {
          this.deps.journal?.clear();
        } else {
          // Edits made while the request ran: they go with the next save, on the new version.
          this.deps.journal?.save(result.doc.version, this.deps.getDoc());
          this.timers.debounce();
        }
        return clean;
      }
      case 'conflict':
        this.timers.cancelDebounce();
        this.patch({ status: 'conflict', conflict: { current: result.current, message: result.message } });
        return false;
      case 'invalid':
        this.patch({ status: 'invalid', errors: this.deps.placeErrors(sent, result.errors), message: result.detail });
        return false;
      case 'offline':
        this.patch({ status: 'offline', message: null });
        this.timers.retry();
        return false;
      case 'error':
        this.patch({ status: 'error', message: result.message });
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

  /** Shows `current` beside ours; saving stops until `reapply` or `discard`. */
  enterConflict(current: Server, message: string, version = this.snapshot.version): void {
    this.timers.cancel();
    this.patch({ status: 'conflict', conflict: { current, message }, version });
  }

  /** Keeps our document and saves it on top of the newer version. */
  reapply(): Promise<boolean> {
    const conflict = this.snapshot.conflict;
    if (conflict === null || !this.deps.isEditable(conflict.current)) return Promise.resolve(false);
    this.deps.rebase(conflict.current);
    this.patch({ ...this.clean(), status: 'pending', server: conflict.current, version: conflict.current.version, conflict: null });
    this.deps.journal?.save(conflict.current.version, this.deps.getDoc());
    return this.flush();
  }

  /** Drops our changes for the server's newer version; false when there is no conflict. */
  discard(): boolean {
    const conflict = this.snapshot.conflict;
    if (conflict === null) return false;
    this.adopt(conflict.current);
    return true;
  }

  /** The server's document is the truth now (after a submit, or a discard). */
  adopt(server: Server): void {
    this.timers.cancel();
    this.deps.reset(server);
    this.deps.journal?.clear();
    this.patch({ ...this.clean(), server, version: server.version, conflict: null });
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
