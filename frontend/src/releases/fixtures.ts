import type { Leaderboard, ReleaseCharts } from './types';

/** A CG-AV-Counting leaderboard as charts_payload writes it: two models, a human baseline, a failed upload. */
export const BOARD: Leaderboard = {
  profile: 'vlmevalkit',
  metrics: [
    { key: 'long_acc/acc', label: 'Long acc', scale: 'fraction', better: 'higher' },
    { key: 'long_acc/mae', label: 'Long MAE', scale: 'count', better: 'lower' },
    { key: 'clue_acc/wcs', label: 'WCS', scale: 'fraction', better: 'higher' },
  ],
  rows: [
    { id: 4, model: 'Human (double annotation)', human: true, state: 'scored', stateLabel: 'Scored', values: [0.9, 0.1, null] },
    { id: 3, model: 'broken', human: false, state: 'failed', stateLabel: 'Failed', values: [null, null, null] },
    { id: 2, model: 'counter-7b', human: false, state: 'scored', stateLabel: 'Scored', values: [0.66666, 1.2345, null] },
    { id: 1, model: 'gemini-2.0-flash', human: false, state: 'scored', stateLabel: 'Scored', values: [0.75, 0.8, null] },
  ],
};

export const CHARTS: ReleaseCharts = {
  stats: [
    {
      title: 'Query modality',
      unit: 'questions',
      bars: [
        { label: 'V', count: 1200 },
        { label: 'A', count: 34 },
        { label: 'AV', count: 0 },
      ],
    },
  ],
  leaderboard: BOARD,
};
