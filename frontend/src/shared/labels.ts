/** One list of the project's vocabulary (`{objects: [...], clusters: [...]}`); empty when absent or malformed. */
export function vocabularyList(labels: unknown, key: 'objects' | 'clusters'): string[] {
  if (typeof labels !== 'object' || labels === null) return [];
  const list = (labels as Record<string, unknown>)[key];
  return Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string' && name.trim() !== '') : [];
}
