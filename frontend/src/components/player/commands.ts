import type { ThumbnailsIndex } from '../timeline/types';
import type { PlayerProps } from './Player';
import type { PlayerClock } from './usePlayerClock';

/** The media keys every island with a player maps: play or pause, one frame, a jump of some seconds. */
export type PlayerCommand =
  | { type: 'togglePlay' }
  | { type: 'frameStep'; delta: -1 | 1 }
  | { type: 'seekBy'; seconds: number };

/** Runs `command` on the player when it is one of the media commands; false for any other command. */
export function runPlayerCommand(player: PlayerClock, command: PlayerCommand | { type: string }): boolean {
  const media = command as PlayerCommand;
  switch (media.type) {
    case 'togglePlay':
      player.togglePlay();
      return true;
    case 'frameStep':
      player.frameStep(media.delta);
      return true;
    case 'seekBy':
      player.seekBy(media.seconds);
      return true;
    default:
      return false;
  }
}

/** What the player and the timeline need of a processed video (the islands' video records have these fields). */
export interface ProxyMedia {
  proxy_url: string;
  title: string;
  fps: number;
  frame_count: number;
  width: number;
  height: number;
  duration: number;
  peaks_url: string | null;
  spectrogram_url: string | null;
  thumbnails_url: string | null;
  thumbnails_index: ThumbnailsIndex | null;
}

/** The Player's props for `video` driven by `player` (the go-to field pauses, then seeks); `overlay` is the page's. */
export function playerPropsOf(video: ProxyMedia, player: PlayerClock, label: string): PlayerProps {
  return {
    src: video.proxy_url, label, fps: video.fps, frameCount: video.frame_count, width: video.width,
    height: video.height, clock: player.clock, onMedia: player.setMedia, onTogglePlay: player.togglePlay,
    onFrameStep: player.frameStep, onSeekBy: player.seekBy, onRate: player.setRate,
    goTo: {
      duration: video.duration,
      onSeekTo: (t) => {
        player.pause();
        player.seekTo(t);
      },
      onSeekFrame: player.seekFrame,
    },
  };
}

/** The Timeline's media props for `video` playing in `player`: length, rate, waveform, spectrogram, thumbnails. */
export function timelineMediaOf(video: ProxyMedia, player: PlayerClock) {
  return {
    duration: video.duration, fps: video.fps, peaksUrl: video.peaks_url, spectrogramUrl: video.spectrogram_url,
    thumbnailsUrl: video.thumbnails_url, thumbnailsIndex: video.thumbnails_index, media: player.media,
  };
}
