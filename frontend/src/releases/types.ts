/** The release page's chart data (`#release-charts`, written by benchmark.releases.selectors.charts_payload). */

export interface StatBar {
  label: string;
  count: number;
}

/** One statistic of the release: counts per label, of `unit` ("questions", "QA pairs", "clues"...). */
export interface Stat {
  title: string;
  unit: string;
  bars: StatBar[];
}

export interface LeaderboardMetric {
  key: string;
  label: string;
  /** "fraction": in [0, 1], shown as a percentage; "count": an error in counts (MAE, RMSE). */
  scale: 'fraction' | 'count';
  better: 'higher' | 'lower';
}

export interface LeaderboardRow {
  id: number;
  model: string;
  human: boolean;
  state: string;
  stateLabel: string;
  /** One per metric, in the metrics' order; null where the submission has no figure. */
  values: (number | null)[];
}

export interface Leaderboard {
  profile: string;
  metrics: LeaderboardMetric[];
  rows: LeaderboardRow[];
}

export interface ReleaseCharts {
  stats: Stat[];
  leaderboard: Leaderboard;
}

/** What a bar chart draws: one bar per label, best or first at the top. */
export interface BarSpec {
  labels: string[];
  values: number[];
  /** The figure written at each bar's end and in its tooltip ("1,234 (33.3%)", "66.7%"). */
  valueLabels: string[];
  colors: string[];
  /** The canvas's accessible name: the title and every bar in words. */
  ariaLabel: string;
  /** How the value axis reads. */
  axis: { kind: 'count' | 'percent' | 'decimal'; max?: number; title: string };
}

/** A submission the leaderboard chart leaves out, and why. */
export interface Omitted {
  model: string;
  reason: string;
}
