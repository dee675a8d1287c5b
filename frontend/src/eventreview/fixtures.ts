// Test data shared by the event review tests (not imported by the app).
import type { EventDoc, EventReviewData } from './types';

export { jsonResponse } from '../shared/fixtures';

export function makeDoc(overrides: Partial<EventDoc> = {}): EventDoc {
  return {
    id: 12,
    version: 3,
    state: 'proposed',
    editable: true,
    video: {
      id: 5,
      title: 'Dog in the park',
      fps: 25,
      frame_count: 250,
      width: 1280,
      height: 720,
      duration: 10,
      frame_url_template: '/api/v1/videos/5/frames/{index}.jpg',
    },
    event: { number: 1, label: 'dog barking', start: 1.39314, end: 3.5 },
    seconds: [
      { t: 1.4, frame_index: 35 },
      { t: 2.4, frame_index: 60 },
      { t: 3.4, frame_index: 85 },
    ],
    objects: [
      {
        id: 7,
        name: 'dog',
        audibility: 'audible',
        source: 'model',
        state: 'proposed',
        boxes: [
          { id: 91, frame_index: 35, t: 1.4, instance: 0, x1: 10, y1: 20, x2: 200, y2: 180, score: 0.83, source: 'model' },
          { id: 92, frame_index: 60, t: 2.4, instance: 0, x1: 30, y1: 20, x2: 220, y2: 180, score: 0.61, source: 'model' },
        ],
      },
      {
        id: 8,
        name: 'man',
        audibility: 'visible_only',
        source: 'model',
        state: 'proposed',
        boxes: [
          { id: 93, frame_index: 35, t: 1.4, instance: 0, x1: 600, y1: 100, x2: 800, y2: 700, score: 0.9, source: 'model' },
        ],
      },
    ],
    detection: { model: 'grounding-dino+sam2.1', detected_at: '2026-11-21T10:00:00Z' },
    prev_url: '/events/11/review/',
    next_url: '/events/13/review/',
    ...overrides,
  };
}

export function makeData(doc: Partial<EventDoc> | null = {}): EventReviewData {
  return {
    doc_url: '/api/v1/event-docs/12/',
    csrf_token: 'tok123',
    doc: doc === null ? null : makeDoc(doc),
    labels: [],
  };
}
