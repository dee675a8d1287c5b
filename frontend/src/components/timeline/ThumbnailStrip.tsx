import type { ThumbnailsIndex } from './types';
import { thumbnailTileAt, xToTime } from './peaks';

export interface ThumbnailStripProps {
  /** The sprite JPEG. */
  url: string;
  index: ThumbnailsIndex;
  /** Width of the whole waveform in pixels, and its scale. */
  totalWidth: number;
  pxPerSec: number;
  /** Horizontal scroll of the waveform, pixels. */
  scrollLeft: number;
  /** Visible width, pixels. */
  viewWidth: number;
  /** Height of the strip; tiles keep the sprite's aspect ratio. */
  height: number;
  /** A click on a thumbnail: seek to its time. */
  onSeek?(time: number): void;
}

/**
 * A row of thumbnails under the waveform, on its time axis: the strip is cut
 * into slots one thumbnail wide, each showing the sprite tile of the time at
 * its centre, and only the slots in view are rendered (at frame level the
 * waveform of a long video is millions of pixels wide). A click on a
 * thumbnail seeks to its time.
 */
export function ThumbnailStrip({ url, index, totalWidth, pxPerSec, scrollLeft, viewWidth, height, onSeek }: ThumbnailStripProps) {
  const valid = index.thumb_width > 0 && index.thumb_height > 0 && index.columns > 0 && index.times.length > 0;
  const slotWidth = valid ? Math.max(8, Math.round((height * index.thumb_width) / index.thumb_height)) : 0;
  const scale = valid ? height / index.thumb_height : 0;
  const slots: { i: number; x: number; width: number; time: number; bx: number; by: number }[] = [];
  if (valid && totalWidth > 0 && viewWidth > 0 && pxPerSec > 0) {
    const count = Math.ceil(totalWidth / slotWidth);
    const first = Math.max(0, Math.floor(scrollLeft / slotWidth));
    const last = Math.min(count - 1, Math.floor((scrollLeft + viewWidth) / slotWidth));
    for (let i = first; i <= last; i++) {
      const x = i * slotWidth;
      const width = Math.min(slotWidth, totalWidth - x);
      const time = xToTime(x + width / 2, pxPerSec);
      const tile = thumbnailTileAt(index, time);
      if (tile !== null) {
        slots.push({ i, x, width, time, bx: -tile.x * scale, by: -tile.y * scale });
      }
    }
  }
  const background = `url(${JSON.stringify(url)})`;
  const size = `${index.columns * index.thumb_width * scale}px ${Math.max(1, index.rows) * index.thumb_height * scale}px`;
  return (
    <div className="tl-thumbs" style={{ height }} data-testid="timeline-thumbnails" aria-hidden="true">
      {/* Hidden from assistive tech (the player's controls and the go-to field seek too): a pointer shortcut. */}
      {slots.map((slot) => (
        <div
          key={slot.i}
          className="tl-thumb"
          data-time={slot.time.toFixed(3)}
          title={onSeek === undefined ? undefined : 'Go to this time'}
          onClick={onSeek === undefined ? undefined : () => onSeek(slot.time)}
          style={{
            left: slot.x - scrollLeft,
            width: slot.width,
            height,
            backgroundImage: background,
            backgroundSize: size,
            backgroundPosition: `${slot.bx}px ${slot.by}px`,
          }}
        />
      ))}
    </div>
  );
}
