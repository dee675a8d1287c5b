/**
 * The frontend's floor: the components and helpers every island may use,
 * and the only way islands reach them (`import { ... } from '../components'`).
 * Nothing here knows an island: components take typed props and report
 * through callbacks.
 */

// The box canvas: the exact frame with boxes to draw, move, resize and delete.
export { BoxCanvas, type BoxCanvasProps, type CanvasBox } from './canvas/BoxCanvas';
export type { Box } from './canvas/geometry';

// The timeline under a video: waveform, ruler, regions, thumbnails, spectrogram.
export {
  Timeline,
  type TimelineHandle,
  type TimelinePluginFactories,
  type TimelineProps,
  type TimelineRegion,
} from './timeline/Timeline';
export type { ThumbnailsIndex } from './timeline/types';

// The frame-accurate video player and its clock.
export { Player, PLAYBACK_RATES, type PlayerProps } from './player/Player';
export { GoToField, type GoToFieldProps } from './player/GoToField';
export { useMediaClock, type MediaClock } from './player/useMediaClock';
export { usePlayerClock, type PlayerClock, type PlayerVideo } from './player/usePlayerClock';
export { playerPropsOf, runPlayerCommand, timelineMediaOf, type PlayerCommand, type ProxyMedia } from './player/commands';

// Time and frames on a constant-frame-rate proxy.
export {
  clampMs,
  clampTime,
  formatInterval,
  formatTime,
  frameAt,
  frameUrl,
  parseGoTo,
  roundMs,
  stepFrame,
  timeOfFrame,
  type GoToTarget,
} from './time';

// Keyboard maps: what a key press is, where keys are text, the common keys.
export {
  activatesOnSpace,
  historyKey,
  isEscape,
  isTypingTarget,
  KEEP_FOCUS,
  keyName,
  leaveTypingTarget,
  withCommandKey,
  type KeyLike,
  type ShortcutHelpItem,
} from './keyboard';
export { ShortcutHelp, type ShortcutHelpProps } from './ShortcutHelp';

// Colours.
export { PALETTE, paletteColor } from './palette';
