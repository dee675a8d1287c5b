/**
 * The review item page's island: what the server passes in `#review-data`
 * (annotation/review/itempage.py), read-only. Times are seconds on the proxy's
 * timeline; boxes are proxy pixels on the frame `frame_index`.
 */
import type { ThumbnailsIndex } from '../components';
import type { BoxClue, Category, Clue, Cluster, EventClue } from '../shared/clues';

export type { BoxClue, Category, Clue, Cluster, EventClue };

/** The question under review; a blind one (double annotation) comes without count, clusters and clues. */
export interface ReviewQuestion {
  id: number;
  text: string;
  category: Category;
  modality: string;
  drafted_answer: number | null;
  ref_start: number | null;
  ref_end: number | null;
  clusters: Cluster[];
  clues: Clue[];
  state: string;
}

export interface ReviewVideo {
  id: number;
  title: string;
  duration: number;
  fps: number;
  frame_count: number;
  width: number;
  height: number;
  has_audio: boolean;
  /** Null while the video has no proxy (not processed): no player then. */
  proxy_url: string | null;
  peaks_url: string | null;
  spectrogram_url: string | null;
  thumbnails_url: string | null;
  thumbnails_index: ThumbnailsIndex | null;
  /** Replace {index} with a frame index; null without a proxy. */
  frame_url_template: string | null;
}

export interface EventBox {
  id: number;
  /** Null for a box imported without a proxy (it cannot be drawn on a frame). */
  frame_index: number | null;
  t: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number | null;
  source: string;
}

export interface EventObject {
  id: number;
  name: string;
  audibility: 'audible' | 'visible_only';
  source: string;
  state: string;
  boxes: EventBox[];
}

export interface SampledSecond {
  t: number;
  frame_index: number | null;
}

/** The R-AVST event under audit: its sampled seconds and its objects with their boxes. */
export interface ReviewEvent {
  id: number;
  event: { number: number; label: string; start: number; end: number };
  seconds: SampledSecond[];
  objects: EventObject[];
}

export interface EventVideo {
  id: number;
  title: string;
  fps: number;
  frame_count: number;
  width: number;
  height: number;
  duration: number;
  frame_url_template: string | null;
}

export type ReviewData =
  | { kind: 'question'; blind: boolean; question: ReviewQuestion; video: ReviewVideo }
  | { kind: 'event'; event: ReviewEvent; video: EventVideo };
