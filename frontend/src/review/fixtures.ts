// Test data shared by the review island's tests (not imported by the app).
import type { EventVideo, ReviewEvent, ReviewQuestion, ReviewVideo } from './types';

export function makeQuestion(overrides: Partial<ReviewQuestion> = {}): ReviewQuestion {
  return {
    id: 7,
    text: 'How many beeps?',
    category: 'event',
    modality: 'A',
    drafted_answer: 3,
    ref_start: 0,
    ref_end: 3.5,
    clusters: [],
    clues: [
      { kind: 'event', start: 0.4, end: 0.8 },
      { kind: 'event', start: 1.9, end: 2.3 },
    ],
    state: 'arbitration',
    ...overrides,
  };
}

export function makeVideo(overrides: Partial<ReviewVideo> = {}): ReviewVideo {
  return {
    id: 5,
    title: 'beeps',
    duration: 4,
    fps: 25,
    frame_count: 100,
    width: 640,
    height: 360,
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

/** Two attribute boxes in two clusters on frame 50, one more on frame 75. */
export function attributeQuestion(): ReviewQuestion {
  return makeQuestion({
    category: 'attribute',
    modality: 'V',
    drafted_answer: 2,
    clusters: [
      { name: 'red', color: '#e6194b' },
      { name: 'blue', color: '#4363d8' },
      { name: 'green', color: '#3cb44b' },
    ],
    clues: [
      { kind: 'attribute', frame_index: 75, x1: 200, y1: 40, x2: 270, y2: 110, cluster: 'red' },
      { kind: 'attribute', frame_index: 50, x1: 150, y1: 40, x2: 220, y2: 110, cluster: 'red' },
      { kind: 'attribute', frame_index: 50, x1: 300, y1: 200, x2: 380, y2: 280, cluster: 'blue' },
    ],
  });
}

export function makeEvent(): ReviewEvent {
  const box = (id: number, frame: number, score: number | null = 0.8) => ({
    id, frame_index: frame, t: frame / 25, x1: 10, y1: 20, x2: 110, y2: 120, score, source: score === null ? 'human' : 'model',
  });
  return {
    id: 3,
    event: { number: 1, label: 'a dog barks at a ball', start: 0.3, end: 3.2 },
    seconds: [
      { t: 0.3, frame_index: 7 },
      { t: 1.3, frame_index: 32 },
      { t: 2.3, frame_index: 57 },
    ],
    objects: [
      { id: 1, name: 'dog', audibility: 'audible', source: 'model', state: 'accepted', boxes: [box(11, 7), box(12, 32)] },
      { id: 2, name: 'ball', audibility: 'visible_only', source: 'model', state: 'accepted', boxes: [box(21, 32, null)] },
    ],
  };
}

export function makeEventVideo(overrides: Partial<EventVideo> = {}): EventVideo {
  return {
    id: 9, title: 'vid', fps: 25, frame_count: 100, width: 640, height: 360, duration: 4,
    frame_url_template: '/api/v1/videos/9/frames/{index}.jpg', ...overrides,
  };
}
