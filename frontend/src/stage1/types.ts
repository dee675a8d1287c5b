export type Category = 'event' | 'object' | 'attribute';
export type Modality = 'V' | 'A' | 'V2A' | 'A2V' | 'AV';
export type CandidateState = 'proposed' | 'accepted' | 'rejected';
export type Source = 'model' | 'human';

/** A stage 1 candidate counting question, as the candidates API serializes it. */
export interface Candidate {
  id: number;
  video: number;
  text: string;
  category: Category;
  modality: Modality;
  query_start: number | null;
  query_end: number | null;
  state: CandidateState;
  source: Source;
  model: string;
  prompt_version: string;
  reject_reason: string;
  version: number;
  question: number | null;
  created_at: string;
}

export interface Stage1Video {
  id: number;
  title: string;
  duration: number | null;
  fps: number | null;
  proxy_url: string | null;
}

/** URL templates; `{id}` is replaced by the candidate id. */
export interface Stage1Urls {
  candidates: string;
  candidate: string;
  accept: string;
  reject: string;
    /** Replace {id}; POST {version} undoes a rejection (absent: the page offers no undo). */
    reopen?: string;
}

/** The page's `json_script` payload (`<script type="application/json" id="stage1-data">`). */
export interface Stage1Data {
  video: Stage1Video;
  candidates: Candidate[];
  urls: Stage1Urls;
  csrf_token: string;
  can_annotate: boolean;
}

/** The editable fields of a candidate, with the interval in seconds (both null: the whole video). */
export interface CandidateFields {
  text: string;
  category: Category;
  modality: Modality;
  query_start: number | null;
  query_end: number | null;
}

/** DRF-style validation errors: field name (or `non_field_errors`) -> messages. */
export type FieldErrors = Partial<Record<string, string[]>>;

export const CATEGORIES: readonly Category[] = ['event', 'object', 'attribute'];
export const MODALITIES: readonly Modality[] = ['V', 'A', 'V2A', 'A2V', 'AV'];
export const STATES: readonly CandidateState[] = ['proposed', 'accepted', 'rejected'];

export const CATEGORY_LABELS: Record<Category, string> = {
  event: 'Event',
  object: 'Object',
  attribute: 'Attribute',
};

export const MODALITY_LABELS: Record<Modality, string> = {
  V: 'Visual',
  A: 'Audio',
  V2A: 'Visual to audio',
  A2V: 'Audio to visual',
  AV: 'Audio-visual',
};

export const STATE_LABELS: Record<CandidateState, string> = {
  proposed: 'Proposed',
  accepted: 'Accepted',
  rejected: 'Rejected',
};
