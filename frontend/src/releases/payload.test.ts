import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHARTS } from './fixtures';
import { readReleaseCharts } from './payload';

function script(text: string): Element {
  document.body.innerHTML = `<script type="application/json" id="release-charts">${text}</script>`;
  return document.getElementById('release-charts')!;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('readReleaseCharts', () => {
  it('reads the payload charts_payload writes', () => {
    expect(readReleaseCharts(script(JSON.stringify(CHARTS)))).toEqual(CHARTS);
  });

  it('decodes json_script escapes in labels', () => {
    const payload = { ...CHARTS, stats: [{ title: '<b>&</b>', unit: 'questions', bars: [{ label: '<i>', count: 1 }] }] };
    const escaped = JSON.stringify(payload).replace(/</g, '\\u003C').replace(/>/g, '\\u003E').replace(/&/g, '\\u0026');
    const read = readReleaseCharts(script(escaped));
    expect(read?.stats[0]).toEqual({ title: '<b>&</b>', unit: 'questions', bars: [{ label: '<i>', count: 1 }] });
  });

  it('keeps a malformed statistic as an empty one, so the rest stay in their figures', () => {
    const payload = { stats: [{ title: 'bad', bars: [{ label: 'x', count: 'many' }] }, CHARTS.stats[0]], leaderboard: {} };
    const read = readReleaseCharts(script(JSON.stringify(payload)));
    expect(read?.stats).toEqual([{ title: '', unit: '', bars: [] }, CHARTS.stats[0]]);
    expect(read?.leaderboard).toEqual({ profile: '', metrics: [], rows: [] });
  });

  it('reads missing or non-numeric figures as none, padded to the metrics', () => {
    const payload = {
      stats: [],
      leaderboard: {
        profile: 'strict',
        metrics: [
          { key: 'a', label: 'A', scale: 'fraction', better: 'higher' },
          { key: 'b', label: 'B', scale: 'count', better: 'lower' },
        ],
        rows: [{ id: 1, model: 'm', human: false, state: 'scored', stateLabel: 'Scored', values: ['0.5'] }, { id: 'x' }],
      },
    };
    const read = readReleaseCharts(script(JSON.stringify(payload)));
    expect(read?.leaderboard.rows).toEqual([
      { id: 1, model: 'm', human: false, state: 'scored', stateLabel: 'Scored', values: [null, null] },
    ]);
  });

  it('is null, with the reason logged, when the data is missing or broken', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(readReleaseCharts(null)).toBeNull();
    expect(readReleaseCharts(script('{oops'))).toBeNull();
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors.mock.calls[1]?.[0]).toBe('releases island: #release-charts does not contain valid JSON');
  });
});
