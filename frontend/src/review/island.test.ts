import { describe, expect, it, vi } from 'vitest';
import { jsonScript } from '../shared/fixtures';
import { makeEvent, makeEventVideo, makeQuestion, makeVideo } from './fixtures';
import { readReviewData } from './island';

describe('readReviewData', () => {
  it('reads a question with its video, and whether it is blind', () => {
    const payload = { kind: 'question', blind: false, question: makeQuestion(), video: makeVideo() };
    expect(readReviewData(jsonScript(JSON.stringify(payload)))).toEqual(payload);
    const blind = { ...payload, blind: true, question: makeQuestion({ drafted_answer: null, clues: [] }) };
    expect(readReviewData(jsonScript(JSON.stringify(blind)))).toMatchObject({ kind: 'question', blind: true });
  });

  it('reads an event with its video', () => {
    const payload = { kind: 'event', blind: false, event: makeEvent(), video: makeEventVideo() };
    expect(readReviewData(jsonScript(JSON.stringify(payload)))).toEqual({ kind: 'event', event: makeEvent(), video: makeEventVideo() });
  });

  it('reads a video that is not processed yet as facts of 0 and URLs of null', () => {
    const video = { id: 5, title: 'raw', duration: 60, fps: null, frame_count: null, width: null, height: null, proxy_url: null };
    const data = readReviewData(jsonScript(JSON.stringify({ kind: 'question', question: makeQuestion(), video })));
    expect(data?.video).toMatchObject({ fps: 0, frame_count: 0, width: 0, height: 0, duration: 60, proxy_url: null, frame_url_template: null });
  });

  it('refuses a missing, broken or unknown payload', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(readReviewData(null)).toBeNull();
    expect(readReviewData(jsonScript('{'))).toBeNull();
    expect(readReviewData(jsonScript(JSON.stringify({ kind: 'question', question: makeQuestion() })))).toBeNull();
    expect(readReviewData(jsonScript(JSON.stringify({ kind: 'question', question: { id: 1 }, video: makeVideo() })))).toBeNull();
    expect(readReviewData(jsonScript(JSON.stringify({ kind: 'event', event: {}, video: makeEventVideo() })))).toBeNull();
    expect(readReviewData(jsonScript(JSON.stringify({ kind: 'qa', video: makeVideo() })))).toBeNull();
    expect(error).toHaveBeenCalledTimes(6);
  });
});
