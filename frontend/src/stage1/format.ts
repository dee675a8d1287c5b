const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A playback time as "mm:ss.s" (rounded to the tenth; minutes are not
 * wrapped into hours, so 75 minutes read "75:00.0"). Negative times read as
 * 0; non-finite ones as "--:--.-".
 */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '--:--.-';
  }
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = tenths - minutes * 600;
  return `${pad2(minutes)}:${pad2(Math.floor(rest / 10))}.${rest % 10}`;
}

/** "mm:ss.s – mm:ss.s"; "whole video" when the candidate has no query interval. */
export function formatInterval(start: number | null, end: number | null): string {
  if (start === null && end === null) {
    return 'whole video';
  }
  const part = (t: number | null) => (t === null ? '?' : formatTime(t));
  return `${part(start)} – ${part(end)}`;
}

/**
 * The interval to play for a candidate: its query interval, or the whole
 * video (0 to the duration, or to the end of the media when unknown).
 */
export function playableInterval(
  start: number | null,
  end: number | null,
  duration: number | null,
): { start: number; end: number } {
  const s = start ?? 0;
  const e = end ?? (duration !== null && duration > 0 ? duration : Number.POSITIVE_INFINITY);
  return { start: s, end: e };
}

/** A seconds value for a number input: "" for null, at most 3 decimals (no float noise). */
export function secondsToInput(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) {
    return '';
  }
  return String(Math.round(seconds * 1000) / 1000);
}

/** Parses a seconds input: "" is null, a decimal comma is accepted, anything else unparseable is NaN. */
export function parseSeconds(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') {
    return null;
  }
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Rounds to the nearest tenth of a second (the step of the interval inputs). */
export function roundTenth(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
