import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeComment, makeData } from './fixtures';
import { readWorkspaceData } from './island';

function script(text: string | null): Element | null {
  if (text === null) return null;
  const el = document.createElement('script');
  el.type = 'application/json';
  el.textContent = text;
  return el;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readWorkspaceData', () => {
  it('reads the payload', () => {
    const data = makeData();
    expect(readWorkspaceData(script(JSON.stringify(data)))).toEqual(data);
  });

  it('reads why click-to-box is not offered, when the page says', () => {
    const data = { ...makeData(), click_box_missing: 'CLUEBENCH_DETECT_SAM2_PATH is not set' };
    expect(readWorkspaceData(script(JSON.stringify(data)))?.click_box_missing).toBe('CLUEBENCH_DETECT_SAM2_PATH is not set');
    expect(readWorkspaceData(script(JSON.stringify({ ...makeData(), click_box_missing: '' })))).not.toHaveProperty('click_box_missing');
  });

  it("reads the project's vocabulary, each list on its own", () => {
    const data = { ...makeData(), labels: { objects: ['dog'], clusters: ['red', null, 'blue'] } };
    expect(readWorkspaceData(script(JSON.stringify(data)))?.labels).toEqual({ objects: ['dog'], clusters: ['red', 'blue'] });
    expect(readWorkspaceData(script(JSON.stringify({ ...makeData(), labels: undefined })))?.labels).toEqual({ objects: [], clusters: [] });
  });

  it('refuses a missing, broken or incomplete payload', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const data = makeData();
    expect(readWorkspaceData(null)).toBeNull();
    expect(readWorkspaceData(script('{'))).toBeNull();
    expect(readWorkspaceData(script(JSON.stringify({ ...data, question: { id: 1 } })))).toBeNull();
    expect(readWorkspaceData(script(JSON.stringify({ ...data, video: { ...data.video, fps: 0 } })))).toBeNull();
    expect(readWorkspaceData(script(JSON.stringify({ ...data, video: { ...data.video, proxy_url: '' } })))).toBeNull();
    expect(readWorkspaceData(script(JSON.stringify({ ...data, urls: { save: '/s' } })))).toBeNull();
    expect(error).toHaveBeenCalledTimes(6);
  });

  it('defaults the optional parts', () => {
    const data = makeData();
    const raw = { ...data, csrf_token: undefined, can_annotate: 'yes', video: { ...data.video, peaks_url: '', thumbnails_index: { x: 1 } } };
    const read = readWorkspaceData(script(JSON.stringify(raw)))!;
    expect(read.csrf_token).toBe('');
    expect(read.can_annotate).toBe(false);
    expect(read.video.peaks_url).toBeNull();
    expect(read.video.thumbnails_index).toBeNull();
  });

  it('reads the comments, dropping malformed ones; without comment URLs the panel only reads', () => {
    const data = makeData({}, { comments: [makeComment()] });
    const raw = { ...data, comments: [makeComment(), { id: 'x' }, null], can_comment: 1 };
    const read = readWorkspaceData(script(JSON.stringify(raw)))!;
    expect(read.comments).toEqual([makeComment()]);
    expect(read.can_comment).toBe(false);
    const bare = { ...data, urls: { save: '/s', submit: '/t', next: '/n' }, comments: undefined };
    const plain = readWorkspaceData(script(JSON.stringify(bare)))!;
    expect(plain.urls).toEqual({ save: '/s', submit: '/t', next: '/n' });
    expect(plain.comments).toEqual([]);
  });
});

describe('the proposal urls', () => {
  it('are read when the page gives them', () => {
    const el = document.createElement('script');
    el.type = 'application/json';
    el.textContent = JSON.stringify({
      ...makeData(),
      urls: { save: '/s', submit: '/t', next: '/n', proposals: '/p/', proposal_request: '/p/request/' },
    });
    const read = readWorkspaceData(el);
    expect(read?.urls.proposals).toBe('/p/');
    expect(read?.urls.proposal_request).toBe('/p/request/');
  });
});
