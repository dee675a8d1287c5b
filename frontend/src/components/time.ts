/**
 * Time and frame arithmetic on the proxy, which has a constant frame rate.
 * The frame index is the truth for a box (the server decodes exactly that
 * frame); a time used to seek to a frame is its middle, so that the browser,
 * whatever its rounding, shows that frame and not its neighbour.
 */

/** Slack for `t * fps` landing a hair under a whole number (float seconds). */
const FRAME_EPSILON = 1e-6;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The frame shown at time `t`: floor(t * fps), clamped to [0, frameCount - 1]. */
export function frameAt(t: number, fps: number, frameCount: number): number {
  if (!Number.isFinite(t) || !(fps > 0)) {
    return 0;
  }
  const last = Math.max(0, Math.floor(frameCount) - 1);
  const index = Math.floor(t * fps + FRAME_EPSILON);
  return Math.min(Math.max(index, 0), last);
}

/** The time to seek to for frame `index`: the middle of the frame. */
export function timeOfFrame(index: number, fps: number): number {
  return fps > 0 ? (index + 0.5) / fps : 0;
}

/** The mid-frame time of the frame `delta` frames away from the one shown at `t`. */
export function stepFrame(t: number, delta: number, fps: number, frameCount: number): number {
  const last = Math.max(0, Math.floor(frameCount) - 1);
  const target = Math.min(Math.max(frameAt(t, fps, frameCount) + delta, 0), last);
  return timeOfFrame(target, fps);
}

/** `t` kept inside [0, duration] (a non-positive or unknown duration bounds nothing above). */
export function clampTime(t: number, duration: number): number {
  const low = Math.max(0, t);
  return duration > 0 ? Math.min(low, duration) : low;
}

/** Rounds seconds to milliseconds, the precision times are stored with (never -0). */
export function roundMs(t: number): number {
  const rounded = Math.round(t * 1000) / 1000;
  return rounded === 0 ? 0 : rounded;
}

/**
 * `t` as a stored time inside the video: rounded to milliseconds, never below 0 and never past
 * the duration rounded down to a millisecond (so rounding can never step over the end).
 * A non-positive or unknown duration bounds nothing above.
 */
export function clampMs(t: number, duration: number): number {
  const low = roundMs(Math.max(0, Number.isFinite(t) ? t : 0));
  return duration > 0 ? Math.min(low, Math.floor(duration * 1000) / 1000) : low;
}

/**
 * "mm:ss.mmm", or "hh:mm:ss.mmm" from one hour on. Negative times read as 0,
 * non-finite ones as "--:--.---".
 */
export function formatTime(t: number): string {
  if (!Number.isFinite(t)) {
    return '--:--.---';
  }
  const ms = Math.round(Math.max(0, t) * 1000);
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const millis = String(ms % 1000).padStart(3, '0');
  const clock = `${pad2(minutes)}:${pad2(seconds)}.${millis}`;
  return hours > 0 ? `${pad2(hours)}:${clock}` : clock;
}

/** "a – b" with both ends formatted. */
export function formatInterval(start: number, end: number): string {
  return `${formatTime(start)} – ${formatTime(end)}`;
}

/** Fills a `{index}` frame URL template. */
export function frameUrl(template: string, index: number): string {
  return template.replace('{index}', encodeURIComponent(String(index)));
}

/** Where a go-to field's text sends the player: a time, a frame, or why it cannot. */
export type GoToTarget = { kind: 'time'; time: number } | { kind: 'frame'; frame: number } | { kind: 'error'; message: string };

const GO_TO_HELP = 'type seconds (12.5), m:ss (1:02.3) or a frame (f312)';

/**
 * Reads a go-to field: seconds ("12.5"), "m:ss.s" or "h:mm:ss.s" ("1:02.3"),
 * or a frame index ("f312", "frame 312"). A time past the end, a frame past
 * the last one or text that is neither says why, and goes nowhere.
 */
export function parseGoTo(text: string, frameCount: number, duration: number): GoToTarget {
  const input = text.trim().toLowerCase();
  if (input === '') return { kind: 'error', message: `Nothing to go to: ${GO_TO_HELP}` };
  const frameMatch = /^(?:f|frame)\s*#?\s*(\S*)$/.exec(input);
  if (frameMatch !== null) {
    const digits = frameMatch[1] ?? '';
    if (!/^\d+$/.test(digits)) return { kind: 'error', message: `“${text.trim()}” is not a frame: a frame is a whole number (f312)` };
    const frame = Number(digits);
    const count = Math.floor(frameCount);
    if (count > 0 && frame > count - 1) {
      return { kind: 'error', message: `No frame ${frame}: the frames are 0–${count - 1}` };
    }
    return { kind: 'frame', frame };
  }
  const parts = input.split(':');
  if (parts.length > 3 || !parts.every((p, i) => (i === parts.length - 1 ? /^\d+(?:\.\d*)?$|^\.\d+$/ : /^\d+$/).test(p))) {
    return { kind: 'error', message: `“${text.trim()}” is not a time or a frame: ${GO_TO_HELP}` };
  }
  const numbers = parts.map(Number);
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i]! >= 60) return { kind: 'error', message: `“${text.trim()}”: minutes and seconds after a colon must be under 60` };
  }
  const time = numbers.reduce((total, n) => total * 60 + n, 0);
  if (duration > 0 && time > duration) {
    return { kind: 'error', message: `${formatTime(time)} is past the end of the video (${formatTime(duration)})` };
  }
  return { kind: 'time', time };
}
