import type { EditableDoc } from './doc';

/**
 * The journal of unsaved changes: the last document edited in this browser
 * and the server version it was based on, kept in localStorage until the
 * server has it, so a closed tab, a crash or a network outage loses nothing.
 */
export interface LocalEntry {
  baseVersion: number;
  doc: EditableDoc;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  /** The server's document the edits were made on (for a three-way merge); absent in older journals. */
  base?: EditableDoc;
}

const PREFIX = 'cluebench.workspace.question.';

export const localKey = (questionId: number): string => `${PREFIX}${questionId}`;

/** localStorage, or null where the browser refuses it (privacy modes, sandboxed frames). */
function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** Writes the journal; false when the browser would not store it (quota, disabled storage). */
export function saveLocal(
  questionId: number,
  baseVersion: number,
  doc: EditableDoc,
  now: number = Date.now(),
  base: EditableDoc | null = null,
): boolean {
  const store = storage();
  if (store === null) return false;
  const entry: LocalEntry = { baseVersion, doc, savedAt: now, ...(base === null ? {} : { base }) };
  try {
    store.setItem(localKey(questionId), JSON.stringify(entry));
    return true;
  } catch {
    return false;
  }
}

function looksLikeDoc(value: unknown): value is EditableDoc {
  if (value === null || typeof value !== 'object') return false;
  const d = value as Record<string, unknown>;
  const numberOrNull = (v: unknown) => v === null || typeof v === 'number';
  return (
    typeof d.text === 'string' &&
    typeof d.category === 'string' &&
    typeof d.modality === 'string' &&
    numberOrNull(d.drafted_answer) &&
    numberOrNull(d.ref_start) &&
    numberOrNull(d.ref_end) &&
    Array.isArray(d.clusters) &&
    Array.isArray(d.clues)
  );
}

/** The journal of this question, or null when there is none or it cannot be read. */
export function loadLocal(questionId: number): LocalEntry | null {
  const store = storage();
  if (store === null) return null;
  let raw: string | null;
  try {
    raw = store.getItem(localKey(questionId));
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<LocalEntry> | null;
    if (parsed === null || typeof parsed.baseVersion !== 'number' || !looksLikeDoc(parsed.doc)) {
      return null;
    }
    return {
      baseVersion: parsed.baseVersion,
      doc: parsed.doc,
      savedAt: typeof parsed.savedAt === 'number' ? parsed.savedAt : 0,
      ...(looksLikeDoc(parsed.base) ? { base: parsed.base } : {}),
    };
  } catch {
    return null;
  }
}

export function clearLocal(questionId: number): void {
  try {
    storage()?.removeItem(localKey(questionId));
  } catch {
    // Nothing to do: a journal that cannot be removed is found again, and matches the server, next time.
  }
}

/** What to do on page load with the journal found, given the server's document. */
export type Recovery =
  | { kind: 'none' }
  /** Made on the version the server still has: apply it and save. */
  | { kind: 'reapply'; doc: EditableDoc }
  /** Made on an older (or unknown) version: the annotator chooses. */
  | { kind: 'conflict'; doc: EditableDoc; baseVersion: number; base?: EditableDoc };

export function recoveryFor(
  entry: LocalEntry | null,
  server: { version: number },
  /** Compares the documents by content (not only the versions: a save can land just before a reload). */
  sameAsServer: (doc: EditableDoc) => boolean,
): Recovery {
  if (entry === null || sameAsServer(entry.doc)) return { kind: 'none' };
  if (entry.baseVersion === server.version) return { kind: 'reapply', doc: entry.doc };
  return { kind: 'conflict', doc: entry.doc, baseVersion: entry.baseVersion, ...(entry.base === undefined ? {} : { base: entry.base }) };
}
