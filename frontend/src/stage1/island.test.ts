import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeCandidate, makeData } from './fixtures';
import { readStage1Data } from './island';

function script(text: string): Element {
  document.body.innerHTML = `<script type="application/json" id="stage1-data">${text}</script>`;
  return document.getElementById('stage1-data')!;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('readStage1Data', () => {
  it('reads the json_script payload, decoding its escapes', () => {
    const data = makeData([makeCandidate({ text: '<b>&</b>' })]);
    const escaped = JSON.stringify(data).replace(/</g, '\\u003C').replace(/>/g, '\\u003E').replace(/&/g, '\\u0026');
    expect(readStage1Data(script(escaped))).toEqual(data);
  });

  it('normalizes optional video fields and drops malformed candidates', () => {
    const data = makeData([makeCandidate(), { id: 'x' } as never]);
    const raw = { ...data, video: { id: 5, title: 'T', proxy_url: '' }, can_annotate: 'yes' };
    expect(readStage1Data(script(JSON.stringify(raw)))).toEqual({
      ...data,
      candidates: [makeCandidate()],
      video: { id: 5, title: 'T', duration: null, fps: null, proxy_url: null },
      can_annotate: false,
    });
  });

  it('returns null, logging why, for missing or broken data', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(readStage1Data(null)).toBeNull();
    expect(readStage1Data(script('{oops'))).toBeNull();
    expect(readStage1Data(script(JSON.stringify({ ...makeData([]), urls: {} })))).toBeNull();
    expect(readStage1Data(script(JSON.stringify({ candidates: [] })))).toBeNull();
    expect(errors).toHaveBeenCalledTimes(4);
  });
});
