/** Shaping the release page's data into what its bar charts draw. Plain functions: no DOM, no Chart.js. */

import { formatCount, formatDecimal, formatFraction, share } from './format';
import type { BarSpec, Leaderboard, LeaderboardMetric, Omitted, Stat } from './types';

/** The site's accent for a statistic's bars and a model's; human baselines stand out in green. */
export const BAR_COLOR = '#2255aa';
export const HUMAN_COLOR = '#2e8b57';

/** A statistic as a bar chart: one bar per label, its count and share of the whole written beside it. */
export function statChart(stat: Stat): BarSpec {
  const total = stat.bars.reduce((sum, b) => sum + b.count, 0);
  const valueLabels = stat.bars.map((b) => `${formatCount(b.count)} (${share(b.count, total)})`);
  const words = stat.bars.map((b, i) => `${b.label}: ${valueLabels[i]}`).join('; ');
  const unit = stat.unit === '' ? '' : ` ${stat.unit}`;
  return {
    labels: stat.bars.map((b) => b.label),
    values: stat.bars.map((b) => b.count),
    valueLabels,
    colors: stat.bars.map(() => BAR_COLOR),
    ariaLabel: `${stat.title}, ${formatCount(total)}${unit}. ${words}.`,
    axis: { kind: 'count', title: stat.unit === '' ? 'count' : stat.unit },
  };
}

/** The metric the leaderboard chart opens on: the first one any submission has a figure for. */
export function defaultMetric(board: Leaderboard): string {
  const index = board.metrics.findIndex((_, i) => board.rows.some((r) => r.values[i] !== null));
  return board.metrics[index === -1 ? 0 : index]?.key ?? '';
}

/** A model's name on the chart: a human baseline says so, unless its name already does. */
export function modelLabel(model: string, human: boolean): string {
  return human && !/human/i.test(model) ? `${model} (human baseline)` : model;
}

/** A figure of `metric` as the chart writes it: a fraction as a percentage, an error with two decimals. */
export function formatMetric(metric: LeaderboardMetric, value: number): string {
  return metric.scale === 'fraction' ? formatFraction(value) : formatDecimal(value);
}

export interface LeaderboardChart {
  metric: LeaderboardMetric;
  spec: BarSpec;
  /** Whether a human baseline is among the bars (drawn in HUMAN_COLOR). */
  hasHuman: boolean;
  /** The submissions with no figure for the metric (failed, waiting, or not scored under the profile). */
  omitted: Omitted[];
}

/**
 * The leaderboard under one metric as a horizontal bar chart: the models that have a figure, best first
 * (the largest, or the smallest for an error such as MAE; ties keep the leaderboard's order); null for a
 * metric the leaderboard does not have.
 */
export function leaderboardChart(board: Leaderboard, key: string): LeaderboardChart | null {
  const index = board.metrics.findIndex((m) => m.key === key);
  const metric = board.metrics[index];
  if (metric === undefined) return null;
  const scored: { model: string; human: boolean; value: number; order: number }[] = [];
  const omitted: Omitted[] = [];
  board.rows.forEach((row, order) => {
    const value = row.values[index];
    if (value === null || value === undefined) {
      const reason =
        row.state !== 'scored' && row.stateLabel !== ''
          ? row.stateLabel.toLowerCase()
          : `no ${metric.label} under ${board.profile === '' ? 'this profile' : board.profile}`;
      omitted.push({ model: modelLabel(row.model, row.human), reason });
    } else {
      scored.push({ model: row.model, human: row.human, value, order });
    }
  });
  const sign = metric.better === 'lower' ? 1 : -1;
  scored.sort((a, b) => sign * (a.value - b.value) || a.order - b.order);
  const percent = metric.scale === 'fraction';
  const labels = scored.map((s) => modelLabel(s.model, s.human));
  const valueLabels = scored.map((s) => formatMetric(metric, s.value));
  const better = metric.better === 'lower' ? 'lower is better' : 'higher is better';
  const profile = board.profile === '' ? '' : `, scored as ${board.profile}`;
  const words = labels.map((l, i) => `${l}: ${valueLabels[i]}`).join('; ');
  return {
    metric,
    omitted,
    hasHuman: scored.some((s) => s.human),
    spec: {
      labels,
      values: scored.map((s) => (percent ? s.value * 100 : s.value)),
      valueLabels,
      colors: scored.map((s) => (s.human ? HUMAN_COLOR : BAR_COLOR)),
      ariaLabel: `Leaderboard by ${metric.label}${profile} (${better}). ${words === '' ? 'No scored model.' : `${words}.`}`,
      axis: percent
        ? { kind: 'percent', max: 100, title: `${metric.label} (%), ${better}` }
        : { kind: 'decimal', title: `${metric.label}, ${better}` },
    },
  };
}

/** The height in pixels of a horizontal bar chart of `bars` bars: room for each bar and for the axis. */
export function chartHeight(bars: number): number {
  return Math.max(1, bars) * 30 + 44;
}
