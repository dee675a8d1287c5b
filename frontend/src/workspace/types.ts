/**
 * The annotation workspace's contract with the server and between its components.
 * Times are seconds on the proxy's timeline; boxes are proxy pixels on the frame `frame_index`.
 */
import type { ThumbnailsIndex } from '../components';
import type { BoxClue, Category, Clue, Cluster, EventClue } from '../shared/clues';

export type { BoxClue, Category, Clue, Cluster, EventClue };

export type { ThumbnailsIndex };

export type Modality = 'V' | 'A' | 'V2A' | 'A2V' | 'AV';
export type QuestionStateName = 'draft' | 'answered' | 'arbitration' | 'pooled' | 'rejected' | 'second_pass';

export interface QuestionDoc {
  id: number;
  video: number;
  text: string;
  category: Category;
  modality: Modality;
  drafted_answer: number | null;
  ref_start: number | null;
  ref_end: number | null;
  clusters: Cluster[];
  clues: Clue[];
  state: QuestionStateName;
  version: number;
  /** The ids of the question's proposals that people rejected (the server remembers them across reruns). */
  rejected_proposals?: number[];
  /** Whether this user may edit it now (the server decides: e.g. a reviewer fixing an arbitration item). */
  editable?: boolean;
  /** Someone else is working on it (their claim is live): who, since when (ISO time). */
  held_by?: { username: string; since: string } | null;
  /** This user (a reviewer or manager) may take it over. */
  can_take_over?: boolean;
}

export interface VideoInfo {
  id: number;
  title: string;
  duration: number;
  fps: number;
  frame_count: number;
  width: number;
  height: number;
  has_audio: boolean;
  proxy_url: string;
  peaks_url: string | null;
  spectrogram_url: string | null;
  thumbnails_url: string | null;
  thumbnails_index: ThumbnailsIndex | null;
  /** Replace {index} with a frame index. */
  frame_url_template: string;
}

/** A comment on the question, anchored to a time (seconds) and/or a frame of the proxy, or to neither. */
export interface CommentInfo {
  id: number;
  question: number | null;
  event: number | null;
  /** The review item whose decision it explains, and that decision ("send_back", "reject"...; '' for none). */
  review_item: number | null;
  review_decision: string;
  author: number | null;
  author_name: string;
  text: string;
  time: number | null;
  frame_index: number | null;
  resolved_by: number | null;
  resolved_by_name: string;
  resolved_at: string | null;
  created_at: string;
  /** Whether this user may resolve it now. */
  can_resolve: boolean;
}

export interface WorkspaceData {
  question: QuestionDoc;
  video: VideoInfo;
  urls: {
    /** PUT the whole document: {version, text, category, modality, drafted_answer, ref_start, ref_end, clusters, clues}. */
    save: string;
    /** POST {version}. */
    submit: string;
    /** Where "next question" goes (a page). */
    next: string;
    /** POST {question, text, time?, frame_index?} adds a comment: 201 -> CommentInfo; 400 {field: message}. */
    comments?: string;
    /** Replace {id}; POST resolves the comment: 200 -> CommentInfo. */
    comment_resolve?: string;
    /** POST takes the question over from whoever holds it (reviewers and managers): 200 -> QuestionDoc. */
    take_over?: string;
    /** GET the machine's event clue proposals: 200 -> ProposalList. */
    proposals?: string;
    /** POST (managers) computes the proposals again: 202 {job, queue}. */
    proposal_request?: string;
    /** POST {frame_index, x, y}: click-to-box, 202 -> JobInfo whose result is {proposal: BoxProposal | null}. */
    click_box?: string;
    /** Replace {id}; GET a job: 200 -> JobInfo. */
    job?: string;
  };
  /** The question's comments, oldest first. */
  comments?: CommentInfo[];
  /** Whether this user may comment on the question (reviewers, managers, the question's annotator). */
  can_comment?: boolean;
  csrf_token: string;
  can_annotate: boolean;
  /** The project's vocabulary: names offered when a cluster is made or named. */
  labels?: { objects?: string[]; clusters?: string[] };
  /** Why click-to-box is not offered here (no segmentation model set up); '' or absent when it is. */
  click_box_missing?: string;
}

/** PUT save: 200 -> QuestionDoc (version + 1); 409 -> {detail, current: QuestionDoc}; 400 -> SaveErrors. */
export interface SaveErrors {
  detail: string;
  /** Keys like "text", "ref_end", "clues[3]": one message each. */
  errors: Record<string, string>;
}

/** POST submit: 200 -> SubmitResult; 409 stale; 400 {detail}. */
export interface SubmitResult {
  question: QuestionDoc;
  outcome: 'pooled' | 'arbitration' | 'agreement';
  message: string;
}

interface ProposalBase {
  id: number;
  question: number;
  /** 0..1: acoustic (the peak over the noise floor), CLAP's match with the question's words, the detector's
   * score, or the segmentation model's object score for a click. */
  score: number;
  model: string;
  model_version: string;
  state: 'proposed' | 'accepted' | 'rejected';
  /** detector (found by a model), click (the box of a person's click), track (followed from a person's box). */
  source?: 'detector' | 'click' | 'track';
}

/** A machine's proposal of an event clue (seconds on the proxy), never truth until a person accepts it. */
export interface EventProposal extends ProposalBase {
  kind: 'event';
  start: number;
  end: number;
}

/** A machine's proposal of a box clue: one instance, on one exact proxy frame, in proxy pixels. */
export interface BoxProposal extends ProposalBase {
  kind: 'object' | 'attribute';
  frame_index: number;
  /** The middle of the frame, seconds. */
  timestamp: number;
  box: [number, number, number, number];
  /** What the detector looked for. */
  label: string;
}

export type ClueProposal = EventProposal | BoxProposal;

/** GET proposals: the question's proposals, whether a computation is queued or running, and whether this user
 * may ask for one. */
export interface ProposalList {
  proposals: ClueProposal[];
  computing: boolean;
  can_request: boolean;
  /** Why the machine cannot propose anything for the question now; null when it can. */
  unavailable?: string | null;
}

/** GET a job (the part the workspace reads). */
export interface JobInfo {
  id: number;
  state: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
  error: string;
  result: Record<string, unknown>;
}
