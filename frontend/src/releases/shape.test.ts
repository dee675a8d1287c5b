import { describe, expect, it } from 'vitest';
import { BOARD } from './fixtures';
import { BAR_COLOR, HUMAN_COLOR, chartHeight, defaultMetric, leaderboardChart, modelLabel, statChart } from './shape';

describe('statChart', () => {
  const spec = statChart({
    title: 'Query modality',
    unit: 'questions',
    bars: [
      { label: 'V', count: 1200 },
      { label: 'A', count: 34 },
      { label: 'AV', count: 0 },
    ],
  });

  it('keeps the labels in the release order with their counts', () => {
    expect(spec.labels).toEqual(['V', 'A', 'AV']);
    expect(spec.values).toEqual([1200, 34, 0]);
    expect(spec.colors).toEqual([BAR_COLOR, BAR_COLOR, BAR_COLOR]);
  });

  it('writes each count with separators and its share of the whole', () => {
    expect(spec.valueLabels).toEqual(['1,200 (97.2%)', '34 (2.8%)', '0 (0.0%)']);
  });

  it('names the chart with every bar in words, and its axis by the unit', () => {
    expect(spec.ariaLabel).toBe('Query modality, 1,234 questions. V: 1,200 (97.2%); A: 34 (2.8%); AV: 0 (0.0%).');
    expect(spec.axis).toEqual({ kind: 'count', title: 'questions' });
  });

  it('draws an empty statistic as no bars', () => {
    const empty = statChart({ title: 'Tasks', unit: '', bars: [] });
    expect(empty.labels).toEqual([]);
    expect(empty.ariaLabel).toBe('Tasks, 0. .');
  });
});

describe('leaderboardChart', () => {
  it('opens on the first metric a submission has a figure for', () => {
    expect(defaultMetric(BOARD)).toBe('long_acc/acc');
    const noLong = { ...BOARD, rows: BOARD.rows.map((r) => ({ ...r, values: [null, 1, null] })) };
    expect(defaultMetric(noLong)).toBe('long_acc/mae');
    expect(defaultMetric({ profile: '', metrics: [], rows: [] })).toBe('');
  });

  it('ranks the scored models best first, as percentages, and leaves out those without a figure', () => {
    const chart = leaderboardChart(BOARD, 'long_acc/acc');
    expect(chart).not.toBeNull();
    const { spec, omitted, hasHuman } = chart!;
    expect(spec.labels).toEqual(['Human (double annotation)', 'gemini-2.0-flash', 'counter-7b']);
    expect(spec.values.map((v) => Math.round(v * 1000) / 1000)).toEqual([90, 75, 66.666]);
    expect(spec.valueLabels).toEqual(['90.0%', '75.0%', '66.7%']);
    expect(spec.colors).toEqual([HUMAN_COLOR, BAR_COLOR, BAR_COLOR]);
    expect(spec.axis).toEqual({ kind: 'percent', max: 100, title: 'Long acc (%), higher is better' });
    expect(omitted).toEqual([{ model: 'broken', reason: 'failed' }]);
    expect(hasHuman).toBe(true);
    expect(spec.ariaLabel).toBe(
      'Leaderboard by Long acc, scored as vlmevalkit (higher is better). ' +
        'Human (double annotation): 90.0%; gemini-2.0-flash: 75.0%; counter-7b: 66.7%.',
    );
  });

  it('ranks an error smallest first, with two decimals and no fixed maximum', () => {
    const { spec } = leaderboardChart(BOARD, 'long_acc/mae')!;
    expect(spec.labels).toEqual(['Human (double annotation)', 'gemini-2.0-flash', 'counter-7b']);
    expect(spec.valueLabels).toEqual(['0.10', '0.80', '1.23']);
    expect(spec.values).toEqual([0.1, 0.8, 1.2345]);
    expect(spec.axis).toEqual({ kind: 'decimal', title: 'Long MAE, lower is better' });
  });

  it('says why a scored model is missing: no figure under the profile', () => {
    const chart = leaderboardChart(BOARD, 'clue_acc/wcs')!;
    expect(chart.spec.labels).toEqual([]);
    expect(chart.spec.ariaLabel).toContain('No scored model.');
    expect(chart.omitted).toEqual([
      { model: 'Human (double annotation)', reason: 'no WCS under vlmevalkit' },
      { model: 'broken', reason: 'failed' },
      { model: 'counter-7b', reason: 'no WCS under vlmevalkit' },
      { model: 'gemini-2.0-flash', reason: 'no WCS under vlmevalkit' },
    ]);
  });

  it('keeps the leaderboard order between equal figures', () => {
    const tied = {
      ...BOARD,
      rows: [
        { id: 1, model: 'b', human: false, state: 'scored', stateLabel: 'Scored', values: [0.5, null, null] },
        { id: 2, model: 'a', human: false, state: 'scored', stateLabel: 'Scored', values: [0.5, null, null] },
      ],
    };
    expect(leaderboardChart(tied, 'long_acc/acc')!.spec.labels).toEqual(['b', 'a']);
  });

  it('is null for a metric the leaderboard does not have', () => {
    expect(leaderboardChart(BOARD, 'nope')).toBeNull();
  });
});

describe('labels and sizes', () => {
  it('marks a human baseline whose name does not say so', () => {
    expect(modelLabel('Alice and Bob', true)).toBe('Alice and Bob (human baseline)');
    expect(modelLabel('Human (double annotation)', true)).toBe('Human (double annotation)');
    expect(modelLabel('counter-7b', false)).toBe('counter-7b');
  });

  it('gives each bar the same room whatever the count', () => {
    expect(chartHeight(3) - chartHeight(2)).toBe(chartHeight(6) - chartHeight(5));
    expect(chartHeight(0)).toBe(chartHeight(1));
  });
});
