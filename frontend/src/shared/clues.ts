/**
 * A counting question's clues as the server stores them, the same for every island that shows them (the
 * workspace edits them, the review item shows them). Times are seconds on the proxy's timeline; boxes are proxy
 * pixels on the frame `frame_index`.
 */

export type Category = 'event' | 'object' | 'attribute';

export interface EventClue {
  kind: 'event';
  start: number;
  end: number;
  /** The machine proposal a person accepted to make this clue (its provenance); absent when drawn by hand. */
  proposal?: number;
}

export interface BoxClue {
  kind: 'object' | 'attribute';
  frame_index: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The attribute cluster's name; '' for object clues. */
  cluster: string;
  /** The machine proposal (a detection, or the box of a click) a person accepted to make this clue. */
  proposal?: number;
}

export type Clue = EventClue | BoxClue;

/** An attribute cluster: its name and its CSS colour (e.g. '#e6194b'). */
export interface Cluster {
  name: string;
  color: string;
}
