import { isEdited, type ReviewBox } from './reviewDoc';

/** "1.4 s", "2 s", "0.25 s": seconds with at most two decimals. */
export function formatSeconds(t: number): string {
  if (!Number.isFinite(t)) return '– s';
  return `${t.toFixed(2).replace(/\.?0+$/, '')} s`;
}

/** "0.83" for a score, "" without one. */
export const formatScore = (score: number | null): string => (score === null ? '' : score.toFixed(2));

/**
 * Where a box came from, in words: "model 0.83", "model 0.83 · edited", "human", "new", and for a box kept from a
 * click or a track "new · from sam2" (then "human · from sam2").
 */
export function boxOrigin(box: ReviewBox): string {
  const parts: string[] = [];
  if (box.score !== null) parts.push(`model ${formatScore(box.score)}`);
  else parts.push(box.id === null ? 'new' : 'human');
  if (box.score === null && box.machine !== '') parts.push(`from ${box.machine}`);
  if (isEdited(box)) parts.push('edited');
  return parts.join(' · ');
}

/** An 8-digit hex colour: `color` with `alpha` (0..1); other notations are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  const a = Math.round(Math.min(Math.max(alpha, 0), 1) * 255);
  return `${color}${a.toString(16).padStart(2, '0')}`;
}
