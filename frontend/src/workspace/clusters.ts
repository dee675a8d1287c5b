import { PALETTE } from '../components';
import { CLUSTER_NAME_MAX, type EditableDoc } from './doc';
import type { Cluster } from './types';

/** A palette colour no cluster uses yet (cycling when all are taken). */
export function nextClusterColor(clusters: readonly Cluster[]): string {
  const used = new Set(clusters.map((c) => c.color.toLowerCase()));
  return PALETTE.find((c) => !used.has(c)) ?? PALETTE[clusters.length % PALETTE.length]!;
}

/** The first name of the project's vocabulary that no cluster has, else "Cluster N" with the first N not taken. */
export function nextClusterName(clusters: readonly Cluster[], vocabulary: readonly string[] = []): string {
  const names = new Set(clusters.map((c) => c.name));
  const offered = vocabulary.map((name) => name.trim()).find((name) => name !== '' && name.length <= CLUSTER_NAME_MAX && !names.has(name));
  if (offered !== undefined) return offered;
  let n = clusters.length + 1;
  while (names.has(`Cluster ${n}`)) n += 1;
  return `Cluster ${n}`;
}

export function addCluster(doc: EditableDoc, cluster?: Partial<Cluster>, vocabulary: readonly string[] = []): EditableDoc {
  const added: Cluster = {
    name: cluster?.name ?? nextClusterName(doc.clusters, vocabulary),
    color: cluster?.color ?? nextClusterColor(doc.clusters),
  };
  return { ...doc, clusters: [...doc.clusters, added] };
}

/** Why `name` cannot be the name of cluster `index`, or null when it can. */
export function clusterNameProblem(clusters: readonly Cluster[], index: number, name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'A cluster needs a name.';
  if (trimmed.length > CLUSTER_NAME_MAX) return `At most ${CLUSTER_NAME_MAX} characters.`;
  if (clusters.some((c, i) => i !== index && c.name === trimmed)) return 'Another cluster has this name.';
  return null;
}

/** Renames cluster `index`; its boxes follow. Returns the document unchanged if the name is not allowed. */
export function renameCluster(doc: EditableDoc, index: number, name: string): EditableDoc {
  const cluster = doc.clusters[index];
  if (cluster === undefined || clusterNameProblem(doc.clusters, index, name) !== null) {
    return doc;
  }
  const trimmed = name.trim();
  if (trimmed === cluster.name) return doc;
  return {
    ...doc,
    clusters: doc.clusters.map((c, i) => (i === index ? { ...c, name: trimmed } : c)),
    clues: doc.clues.map((c) => (c.kind === 'attribute' && c.cluster === cluster.name ? { ...c, cluster: trimmed } : c)),
  };
}

export function recolorCluster(doc: EditableDoc, index: number, color: string): EditableDoc {
  if (doc.clusters[index] === undefined) return doc;
  return { ...doc, clusters: doc.clusters.map((c, i) => (i === index ? { ...c, color } : c)) };
}

/** Removes cluster `index` and its boxes. */
export function removeCluster(doc: EditableDoc, index: number): EditableDoc {
  const cluster = doc.clusters[index];
  if (cluster === undefined) return doc;
  return {
    ...doc,
    clusters: doc.clusters.filter((_, i) => i !== index),
    clues: doc.clues.filter((c) => !(c.kind === 'attribute' && c.cluster === cluster.name)),
  };
}
