import { editableOf, type EditableDoc } from './doc';

/**
 * A conflict's re-apply as a three-way merge: of the fields this page changed
 * since the document it started from (its base), its values go on top of the
 * other side's newer document; every field it did not touch keeps the other
 * side's value. A field both changed (to different values) is a collision:
 * this page's value is kept, and the field is named.
 */

/** The fields merged one by one (the reference interval is one field: its two ends go together). */
export type MergeField = 'text' | 'category' | 'modality' | 'drafted_answer' | 'ref' | 'clusters' | 'clues' | 'rejected_proposals';

export const MERGE_FIELDS: readonly MergeField[] = [
  'text',
  'category',
  'modality',
  'drafted_answer',
  'ref',
  'clusters',
  'clues',
  'rejected_proposals',
];

export const MERGE_FIELD_LABELS: Record<MergeField, string> = {
  text: 'question',
  category: 'category',
  modality: 'modality',
  drafted_answer: 'drafted count',
  ref: 'reference interval',
  clusters: 'clusters',
  clues: 'clues',
  rejected_proposals: 'rejected proposals',
};

/**
 * A value as text with object keys sorted (and, inside objects, null or absent
 * keys alike), so documents compare by content whatever the key order the
 * server or the browser wrote them in.
 */
export function canonical(value: unknown, nested = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, true)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && !(nested && v === null))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, true)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function fieldValue(doc: EditableDoc, field: MergeField): unknown {
  if (field === 'ref') return [doc.ref_start, doc.ref_end];
  return doc[field];
}

/** Same value of `field` in both (rejected proposals absent on either side count as the same). */
export function sameField(a: EditableDoc, b: EditableDoc, field: MergeField): boolean {
  if (field === 'rejected_proposals' && (a.rejected_proposals === undefined || b.rejected_proposals === undefined)) return true;
  return canonical(fieldValue(a, field)) === canonical(fieldValue(b, field));
}

/** Same content, whatever the key order or object identity. */
export function sameContent(a: EditableDoc, b: EditableDoc): boolean {
  return MERGE_FIELDS.every((field) => sameField(a, b, field));
}

export interface MergePlan {
  /** The fields this page changed since its base. */
  mine: MergeField[];
  /** The fields the other side changed since the same base. */
  theirs: MergeField[];
  /** Changed on both sides to different values: this page's value wins. */
  collisions: MergeField[];
}

export function mergePlan(base: EditableDoc, mine: EditableDoc, theirs: EditableDoc): MergePlan {
  const plan: MergePlan = { mine: [], theirs: [], collisions: [] };
  for (const field of MERGE_FIELDS) {
    const changedHere = !sameField(mine, base, field);
    const changedThere = !sameField(theirs, base, field);
    if (changedHere) plan.mine.push(field);
    if (changedThere) plan.theirs.push(field);
    if (changedHere && changedThere && !sameField(mine, theirs, field)) plan.collisions.push(field);
  }
  return plan;
}

/** `theirs` with the fields this page changed since `base` taken from `mine`. */
export function mergeDocs(base: EditableDoc, mine: EditableDoc, theirs: EditableDoc): { doc: EditableDoc; plan: MergePlan } {
  const plan = mergePlan(base, mine, theirs);
  const doc: EditableDoc = { ...editableOf(theirs) };
  for (const field of plan.mine) {
    if (field === 'ref') {
      doc.ref_start = mine.ref_start;
      doc.ref_end = mine.ref_end;
    } else if (field === 'rejected_proposals') {
      if (mine.rejected_proposals !== undefined) doc.rejected_proposals = mine.rejected_proposals;
    } else {
      (doc as unknown as Record<string, unknown>)[field] = mine[field];
    }
  }
  settleProposals(doc, mine, plan);
  return { doc, plan };
}

/**
 * One side accepted a proposal (a clue links it) and the other rejected it: the merged document must not do both
 * (the server refuses it). This page's decision wins, as in any collision, and the field it undoes is named.
 */
function settleProposals(doc: EditableDoc, mine: EditableDoc, plan: MergePlan): void {
  const rejected = doc.rejected_proposals ?? [];
  const linked = new Set(doc.clues.map((c) => c.proposal).filter((id): id is number => id !== undefined));
  const both = rejected.filter((id) => linked.has(id));
  if (both.length === 0) return;
  const acceptedHere = new Set(mine.clues.map((c) => c.proposal).filter((id): id is number => id !== undefined));
  const keepClue = new Set(both.filter((id) => acceptedHere.has(id)));
  doc.rejected_proposals = rejected.filter((id) => !keepClue.has(id));
  doc.clues = doc.clues.filter((c) => c.proposal === undefined || !both.includes(c.proposal) || keepClue.has(c.proposal));
  const undone: MergeField[] = [];
  if (keepClue.size > 0) undone.push('rejected_proposals');
  if (keepClue.size < both.length) undone.push('clues');
  for (const field of undone) if (!plan.collisions.includes(field)) plan.collisions.push(field);
}

/** "question, clues" */
export const fieldList = (fields: readonly MergeField[]): string => fields.map((f) => MERGE_FIELD_LABELS[f]).join(', ');
