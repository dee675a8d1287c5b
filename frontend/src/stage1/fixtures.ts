// Test data shared by the stage 1 tests (not imported by the app).
import type { Candidate, Stage1Data } from './types';

export function makeCandidate(overrides: Partial<Candidate> = {}): Candidate {
  return {
    id: 1,
    video: 5,
    text: 'How many times does the dog bark?',
    category: 'event',
    modality: 'A',
    query_start: 2,
    query_end: 4.5,
    state: 'proposed',
    source: 'model',
    model: 'gpt-x',
    prompt_version: 'stage1-v3',
    reject_reason: '',
    version: 1,
    question: null,
    created_at: '2024-05-01T10:00:00Z',
    ...overrides,
  };
}

export function makeData(candidates: Candidate[], overrides: Partial<Stage1Data> = {}): Stage1Data {
  return {
    video: { id: 5, title: 'Park walk', duration: 60, fps: 25, proxy_url: '/media/proxy/5.mp4' },
    candidates,
    urls: {
      candidates: '/api/v1/candidates/',
      candidate: '/api/v1/candidates/{id}/',
      accept: '/api/v1/candidates/{id}/accept/',
      reject: '/api/v1/candidates/{id}/reject/',
    },
    csrf_token: 'tok123',
    can_annotate: true,
    ...overrides,
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
