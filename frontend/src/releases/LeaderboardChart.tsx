import { useId, useMemo, useState } from 'react';
import { BarChart } from './BarChart';
import { BAR_COLOR, HUMAN_COLOR, defaultMetric, leaderboardChart } from './shape';
import type { Leaderboard } from './types';

export interface LeaderboardChartProps {
  board: Leaderboard;
}

/** The leaderboard as a horizontal bar chart of one metric (chosen here), best model at the top. */
export function LeaderboardChart({ board }: LeaderboardChartProps) {
  const [key, setKey] = useState(() => defaultMetric(board));
  const chart = useMemo(() => leaderboardChart(board, key), [board, key]);
  const selectId = useId();
  if (board.rows.length === 0 || chart === null) return null;
  const { metric, spec, omitted, hasHuman } = chart;
  return (
    <figure className="rl-leaderboard">
      <figcaption className="rl-leaderboard-head">
        <span className="rl-leaderboard-title">
          {metric.label} by model{board.profile === '' ? '' : `, scored as ${board.profile}`}
        </span>
        <label htmlFor={selectId} className="rl-metric">
          Chart by{' '}
          <select id={selectId} value={key} onChange={(e) => setKey(e.target.value)} data-testid="chart-metric">
            {board.metrics.map((m) => (
              <option key={m.key} value={m.key}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      </figcaption>
      {spec.labels.length === 0 ? (
        <p className="empty rl-none">
          No model has a {metric.label} figure under {board.profile === '' ? 'this profile' : board.profile}.
        </p>
      ) : (
        <BarChart spec={spec} />
      )}
      {hasHuman && (
        <p className="rl-legend" aria-hidden="true">
          <span className="rl-swatch" style={{ background: BAR_COLOR }} />
          <span>model</span>
          <span className="rl-swatch" style={{ background: HUMAN_COLOR }} />
          <span>human baseline</span>
        </p>
      )}
      {omitted.length > 0 && (
        <p className="hint rl-omitted">
          Not charted:{' '}
          {omitted.map((o, i) => (
            <span key={`${o.model}-${i}`}>
              {i > 0 && ', '}
              {o.model} ({o.reason})
            </span>
          ))}
          .
        </p>
      )}
    </figure>
  );
}
