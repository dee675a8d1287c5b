import { islandFailure, readPayload } from '../shared/island';
import type { Leaderboard, LeaderboardMetric, LeaderboardRow, ReleaseCharts, Stat, StatBar } from './types';

const fail = islandFailure('releases');

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function statBar(raw: unknown): StatBar | null {
  if (!isRecord(raw) || !isString(raw.label) || !isCount(raw.count)) return null;
  return { label: raw.label, count: raw.count };
}

function stat(raw: unknown): Stat | null {
  if (!isRecord(raw) || !isString(raw.title) || !Array.isArray(raw.bars)) return null;
  const bars = raw.bars.map(statBar);
  if (bars.some((b) => b === null)) return null;
  return { title: raw.title, unit: isString(raw.unit) ? raw.unit : '', bars: bars as StatBar[] };
}

function metric(raw: unknown): LeaderboardMetric | null {
  if (!isRecord(raw) || !isString(raw.key) || !isString(raw.label)) return null;
  return {
    key: raw.key,
    label: raw.label,
    scale: raw.scale === 'count' ? 'count' : 'fraction',
    better: raw.better === 'lower' ? 'lower' : 'higher',
  };
}

function row(raw: unknown, width: number): LeaderboardRow | null {
  if (!isRecord(raw) || typeof raw.id !== 'number' || !isString(raw.model) || !Array.isArray(raw.values)) return null;
  const values = raw.values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  while (values.length < width) values.push(null);
  return {
    id: raw.id,
    model: raw.model,
    human: raw.human === true,
    state: isString(raw.state) ? raw.state : '',
    stateLabel: isString(raw.stateLabel) ? raw.stateLabel : '',
    values: values.slice(0, width),
  };
}

function leaderboard(raw: unknown): Leaderboard {
  if (!isRecord(raw)) return { profile: '', metrics: [], rows: [] };
  const metrics = (Array.isArray(raw.metrics) ? raw.metrics : []).map(metric).filter((m) => m !== null);
  const rows = (Array.isArray(raw.rows) ? raw.rows : []).map((r) => row(r, metrics.length)).filter((r) => r !== null);
  return { profile: isString(raw.profile) ? raw.profile : '', metrics, rows };
}

/**
 * The release page's chart data from its `json_script` element, or null (with the reason logged) when it is
 * missing or not an object. Malformed statistics and rows are left out one by one rather than failing the page.
 */
export function readReleaseCharts(script: Element | null): ReleaseCharts | null {
  const payload = readPayload(script, 'release-charts', fail);
  if (payload === null) return null;
  const stats = (Array.isArray(payload.stats) ? payload.stats : []).map(stat);
  return {
    stats: stats.map((s) => s ?? { title: '', unit: '', bars: [] }),
    leaderboard: leaderboard(payload.leaderboard),
  };
}
