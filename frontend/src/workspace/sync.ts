import { MAX_RETRY_MS, retriesLater, SaveTimers, type SaveStatus } from '../shared/autosave';
import { ExternalStore } from '../shared/externalStore';
import type { SaveOptions, SaveResult } from './api';
import { editableOf, sameDoc, type EditableDoc } from './doc';
import type { QuestionDoc, QuestionStateName } from './types';

export { MAX_RETRY_MS, type SaveStatus };

export interface SyncSnapshot {
  status: SaveStatus;
  /** The newest server document this page knows. */
  server: QuestionDoc;
  /** The version the edits are based on: the one the next save sends. */
  baseVersion: number;
  /** 409: the server's newer document, shown beside ours until the annotator chooses. */
  conflict: { current: QuestionDoc; message: string } | null;
  /** 400: the server's messages, keyed like "clues[3]". */
  errors: Record<string, string>;
  /** What went wrong, in words (400 detail, HTTP failure). */
  message: string | null;
}

export interface SyncDeps {
  /** PUT the document with the version it was made on. */
  save(version: number, doc: EditableDoc, options?: SaveOptions): Promise<SaveResult>;
  /** The document being edited now. */
  getDoc(): EditableDoc;
  /** The journal of unsaved changes (localStorage). */
  journal: { save(baseVersion: number, doc: EditableDoc): void; clear(): void };
  canAnnotate: boolean;
  debounceMs?: number;
}

/** Autosave waits this long after the last change. */
export const DEBOUNCE_MS = 800;

const EDITABLE_STATES: readonly QuestionStateName[] = ['draft', 'answered'];

/** The annotator may still change a question in this state. */
export const isEditableState = (state: QuestionStateName): boolean => EDITABLE_STATES.includes(state);

/** The server's word when it gives one, else the question's state. */
export const isEditable = (doc: { state: QuestionStateName; editable?: boolean }): boolean =>
  doc.editable ?? isEditableState(doc.state);

/**
 * Keeps the server's copy of the document up to date: a debounced PUT of the
 * whole document after each change, one request at a time, the journal
 * written before anything is sent and cleared once the server has it all,
 * retries with backoff while offline, and a stop on 409 until the annotator
 * chooses between the versions. React reads it through `subscribe` /
 * `getSnapshot` (useSyncExternalStore).
 */
export class DocSync {
  /** The document the server holds at `baseVersion`, as far as this page knows. */
  private saved: EditableDoc;
  private readonly snapshots: ExternalStore<SyncSnapshot>;
  private readonly timers: SaveTimers;
  private inFlight: Promise<boolean> | null = null;
  private disposed = false;
  private readonly deps: SyncDeps;

  constructor(server: QuestionDoc, deps: SyncDeps) {
    this.deps = deps;
    this.saved = editableOf(server);
    this.timers = new SaveTimers(() => void this.flush(), deps.debounceMs ?? DEBOUNCE_MS);
    this.snapshots = new ExternalStore<SyncSnapshot>({
      status: 'saved',
      server,
      baseVersion: server.version,
      conflict: null,
      errors: {},
      message: null,
    });
  }

  subscribe = (listener: () => void): (() => void) => this.snapshots.subscribe(listener);

  getSnapshot = (): SyncSnapshot => this.snapshots.get();

  private get snapshot(): SyncSnapshot {
    return this.snapshots.get();
  }

  get editable(): boolean {
    return this.deps.canAnnotate && isEditable(this.snapshot.server) && !this.locked;
  }

  /** A 409 told that the question left the editable states (submitted, under review): nothing more can be saved. */
  get locked(): boolean {
    const conflict = this.snapshot.conflict;
    return conflict !== null && !isEditable(conflict.current);
  }

  /** The document differs from the server's copy. */
  get dirty(): boolean {
    return !sameDoc(this.deps.getDoc(), this.saved);
  }

  /** The document was edited: journal it and save it after the debounce. */
  changed(): void {
    if (!this.editable || this.disposed) return;
    const doc = this.deps.getDoc();
    if (sameDoc(doc, this.saved)) {
      // Undone back to what the server has: nothing to send.
      this.timers.cancelDebounce();
      this.deps.journal.clear();
      if (['pending', 'invalid', 'error', 'offline'].includes(this.snapshot.status)) {
        this.timers.cancelRetry();
        this.snapshots.patch({ status: 'saved', errors: {}, message: null });
      }
      return;
    }
    this.deps.journal.save(this.snapshot.baseVersion, doc);
    if (this.snapshot.status === 'conflict') return;
    if (this.snapshot.status === 'saved' || this.snapshot.status === 'invalid') {
      this.snapshots.patch({ status: 'pending' });
    }
    this.timers.debounce();
  }

  /**
   * Saves now (after the request in flight, if any). Resolves true when the
   * server has the document as it is, false otherwise.
   */
  async flush(options?: SaveOptions): Promise<boolean> {
    this.timers.cancelDebounce();
    while (this.inFlight !== null) await this.inFlight;
    if (this.disposed || !this.editable || this.snapshot.status === 'conflict') return false;
    const doc = this.deps.getDoc();
    if (sameDoc(doc, this.saved)) {
      this.deps.journal.clear();
      if (this.snapshot.status !== 'saved') this.snapshots.patch({ status: 'saved', errors: {}, message: null });
      return true;
    }
    this.timers.cancelRetry();
    this.snapshots.patch({ status: 'saving' });
    const request =
      options === undefined ? this.deps.save(this.snapshot.baseVersion, doc) : this.deps.save(this.snapshot.baseVersion, doc, options);
    const run = request.then((result) => {
      this.inFlight = null;
      return this.handle(result, doc);
    });
    this.inFlight = run;
    return run;
  }

  /** Saves until the server has the document as it is (edits made meanwhile included), or a save fails. */
  async settle(): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await this.flush()) return true;
      if (this.snapshot.status !== 'pending') return false;
    }
    return false;
  }

  private handle(result: SaveResult, sent: EditableDoc): boolean {
    if (this.disposed) return false;
    if (!retriesLater(result)) this.timers.resetBackoff();
    switch (result.kind) {
      case 'ok': {
        this.saved = sent;
        const now = this.deps.getDoc();
        const clean = sameDoc(now, sent);
        this.snapshots.patch({
          status: clean ? 'saved' : 'pending',
          server: result.doc,
          baseVersion: result.doc.version,
          errors: {},
          message: null,
        });
        if (clean) {
          this.deps.journal.clear();
        } else {
          // Edits made while the request ran: they go with the next save, on the new version.
          this.deps.journal.save(result.doc.version, now);
          this.timers.debounce();
        }
        return clean;
      }
      case 'conflict':
        this.snapshots.patch({ status: 'conflict', conflict: { current: result.current, message: result.message } });
        return false;
      case 'invalid':
        this.snapshots.patch({ status: 'invalid', errors: result.errors.errors, message: result.errors.detail });
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

  /** Shows `current` beside ours; saving stops until `reapply` or `discard`. */
  enterConflict(current: QuestionDoc, message: string, baseVersion = this.snapshot.baseVersion): void {
    this.timers.cancel();
    this.snapshots.patch({ status: 'conflict', conflict: { current, message }, baseVersion });
  }

  /** Keeps our document and saves it on top of the newer version. */
  reapply(): Promise<boolean> {
    const conflict = this.snapshot.conflict;
    if (conflict === null || !isEditable(conflict.current)) return Promise.resolve(false);
    this.saved = editableOf(conflict.current);
    this.snapshots.patch({
      status: 'pending',
      server: conflict.current,
      baseVersion: conflict.current.version,
      conflict: null,
      errors: {},
      message: null,
    });
    this.deps.journal.save(conflict.current.version, this.deps.getDoc());
    return this.flush();
  }

  /** Drops our changes: returns the server's document, which the editor must show. */
  discard(): EditableDoc | null {
    const conflict = this.snapshot.conflict;
    if (conflict === null) return null;
    this.adopt(conflict.current);
    return editableOf(conflict.current);
  }

  /** The server's document is the truth now (after a submit, or a discard). */
  adopt(server: QuestionDoc): void {
    this.timers.cancel();
    this.saved = editableOf(server);
    this.deps.journal.clear();
    this.snapshots.patch({ status: 'saved', server, baseVersion: server.version, conflict: null, errors: {}, message: null });
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
