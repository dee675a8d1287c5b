/**
 * The R-AVST event review page's contract with the server (GET / PUT
 * `/api/v1/event-docs/<id>/`). Boxes are in proxy pixels (video.width x
 * video.height) on the frame `frame_index`, always one of the event's sampled
 * seconds.
 */

export type Audibility = 'audible' | 'visible_only';
export type Source = 'model' | 'human';
export type DecisionState = 'proposed' | 'accepted';

export interface EventBoxDoc {
  id: number;
  frame_index: number;
  t: number;
  instance: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The detector's confidence (model boxes); null for boxes drawn by a person. */
  score: number | null;
  source: Source;
  /** The model that proposed the box (a detector, or a click or track kept by a person); '' when drawn by hand. */
  model?: string;
}

export interface EventObjectDoc {
  id: number;
  name: string;
  audibility: Audibility;
  source: Source;
  state: DecisionState;
  boxes: EventBoxDoc[];
}

export interface EventVideo {
  id: number;
  title: string;
  fps: number;
  frame_count: number;
  width: number;
  height: number;
  duration: number;
  /** e.g. "/api/v1/videos/5/frames/{index}.jpg". */
  frame_url_template: string;
}

export interface EventInfo {
  number: number;
  label: string;
  start: number;
  end: number;
}

export interface SampledSecond {
  t: number;
  frame_index: number;
}

export interface EventDoc {
  id: number;
  version: number;
  state: DecisionState;
  editable: boolean;
  video: EventVideo;
  event: EventInfo;
  seconds: SampledSecond[];
  objects: EventObjectDoc[];
  detection: { model: string; detected_at: string | null } | null;
  prev_url: string | null;
  next_url: string | null;
}

/** What the page passes in `#eventreview-data`. */
export interface EventReviewData {
  doc_url: string;
  csrf_token: string;
  /** The document as the page rendered it; absent: the island GETs `doc_url`. */
  doc: EventDoc | null;
  /** The project's vocabulary of object names, offered when an object is named. */
  labels?: string[];
  /** Click-to-box and tracking, when the server has a segmentation model. */
  assist_urls?: AssistUrls;
  /** Why click-to-box and tracking are not offered (no segmentation model set up). */
  assist_missing?: string;
}

/** POST {frame_index, x, y} / {frame_index, box} answer a job (202); `job` (replace {id}) reads it. */
export interface AssistUrls {
  click_box: string;
  track: string;
  job: string;
}

export interface PutBox {
  id: number | null;
  frame_index: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** A new box kept from a click or a track: the job that answered it (the server keeps its model as provenance). */
  origin?: { job: number };
}

export interface PutObject {
  id: number | null;
  name: string;
  audibility: Audibility;
  boxes: PutBox[];
}

export interface PutBody {
  version: number;
  accept: boolean;
  objects: PutObject[];
}

export const AUDIBILITY_LABELS: Record<Audibility, string> = {
  audible: 'Visible and audible',
  visible_only: 'Visible only',
};
