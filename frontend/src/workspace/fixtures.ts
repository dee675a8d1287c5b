// Test data shared by the workspace tests (not imported by the app).
import type { CommentInfo, QuestionDoc, VideoInfo, WorkspaceData } from './types';

export { jsonResponse } from '../shared/fixtures';

export function makeQuestion(overrides: Partial<QuestionDoc> = {}): QuestionDoc {
  return {
    id: 7,
    video: 5,
    text: 'How many times does the dog bark?',
    category: 'event',
    modality: 'A',
    drafted_answer: 3,
    ref_start: 10,
    ref_end: 20,
    clusters: [],
    clues: [],
    state: 'draft',
    version: 4,
    ...overrides,
  };
}

export function makeVideo(overrides: Partial<VideoInfo> = {}): VideoInfo {
  return {
    id: 5,
    title: 'Park walk',
    duration: 60,
    fps: 25,
    frame_count: 1500,
    width: 1280,
    height: 720,
    has_audio: true,
    proxy_url: '/media/proxy/5.mp4',
    peaks_url: '/media/peaks/5.json',
    spectrogram_url: null,
    thumbnails_url: null,
    thumbnails_index: null,
    frame_url_template: '/api/v1/videos/5/frames/{index}.jpg',
    ...overrides,
  };
}

export function makeData(question: Partial<QuestionDoc> = {}, overrides: Partial<WorkspaceData> = {}): WorkspaceData {
  return {
    question: makeQuestion(question),
    video: makeVideo(),
    urls: {
      save: '/api/v1/questions/7/',
      submit: '/api/v1/questions/7/submit/',
      next: '/annotate/next/',
      comments: '/api/v1/comments/',
      comment_resolve: '/api/v1/comments/{id}/resolve/',
    },
    comments: [],
    can_comment: true,
    csrf_token: 'tok123',
    can_annotate: true,
    labels: { objects: [], clusters: [] },
    ...overrides,
  };
}

export function makeComment(overrides: Partial<CommentInfo> = {}): CommentInfo {
  return {
    id: 31,
    question: 7,
    event: null,
    review_item: null,
    review_decision: '',
    author: 2,
    author_name: 'rita',
    text: 'A bark is missing here',
    time: 12.3,
    frame_index: null,
    resolved_by: null,
    resolved_by_name: '',
    resolved_at: null,
    created_at: '2026-03-02T09:00:00Z',
    can_resolve: true,
    ...overrides,
  };
}
