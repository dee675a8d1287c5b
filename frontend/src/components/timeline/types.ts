/** The thumbnail sprite's index (the server's `thumbnails_index`): a grid of tiles, one per time. */
export interface ThumbnailsIndex {
  thumb_width: number;
  thumb_height: number;
  columns: number;
  rows: number;
  times: number[];
  frame_indices: number[];
}
