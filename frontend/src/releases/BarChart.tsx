import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  LinearScale,
  type Plugin,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { formatCount, formatDecimal } from './format';
import { chartHeight } from './shape';
import type { BarSpec } from './types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

interface ValueLabelOptions {
  /** The figure written past each bar's end, in the bars' order. */
  texts: string[];
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    cluebenchValueLabels?: ValueLabelOptions;
  }
}

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", sans-serif';
const TEXT = '#1d2430';
const MUTED = '#5b6675';
const GRID = '#e6e9ee';
const VALUE_FONT = `600 12px ${FONT_FAMILY}`;
/** Longest category label drawn whole; longer ones are cut with an ellipsis (the tooltip has them whole). */
const MAX_LABEL = 34;

/** Writes each bar's figure just past its end. */
const valueLabels: Plugin<'bar', ValueLabelOptions> = {
  id: 'cluebenchValueLabels',
  afterDatasetsDraw(chart, _args, options) {
    const texts = options.texts ?? [];
    const { ctx } = chart;
    ctx.save();
    ctx.font = VALUE_FONT;
    ctx.fillStyle = TEXT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      const text = texts[i];
      if (text !== undefined) ctx.fillText(text, bar.x + 6, bar.y);
    });
    ctx.restore();
  },
};

function cut(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function tick(kind: BarSpec['axis']['kind'], value: number): string {
  if (kind === 'percent') return `${value}%`;
  if (kind === 'count') return formatCount(value);
  return Number.isInteger(value) ? formatCount(value) : formatDecimal(value);
}

/** The widest of `texts` in the value labels' font, in CSS pixels. */
function widest(canvas: HTMLCanvasElement, texts: string[]): number {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return 0;
  ctx.font = VALUE_FONT;
  return Math.max(0, ...texts.map((t) => ctx.measureText(t).width));
}

export function configFor(spec: BarSpec, rightPadding: number): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: [
        {
          data: spec.values,
          backgroundColor: spec.colors,
          borderRadius: 2,
          barPercentage: 0.8,
          categoryPercentage: 0.9,
          maxBarThickness: 22,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { right: rightPadding, top: 2 } },
      font: { family: FONT_FAMILY, size: 12 },
      color: TEXT,
      scales: {
        x: {
          beginAtZero: true,
          ...(spec.axis.max === undefined ? {} : { max: spec.axis.max }),
          grid: { color: GRID },
          border: { display: false },
          ticks: {
            color: MUTED,
            precision: spec.axis.kind === 'count' ? 0 : undefined,
            maxTicksLimit: 6,
            callback: (value) => tick(spec.axis.kind, Number(value)),
          },
          title: { display: true, text: spec.axis.title, color: MUTED, font: { size: 12 } },
        },
        y: {
          grid: { display: false },
          border: { color: GRID },
          ticks: {
            color: TEXT,
            autoSkip: false,
            font: { size: 13 },
            callback: (_value, index) => cut(spec.labels[index] ?? ''),
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => spec.labels[items[0]?.dataIndex ?? 0] ?? '',
            label: (item) => spec.valueLabels[item.dataIndex] ?? '',
          },
        },
        cluebenchValueLabels: { texts: spec.valueLabels },
      },
    },
    plugins: [valueLabels],
  };
}

export interface BarChartProps {
  spec: BarSpec;
  /** Called once the chart is drawn (the page then hides the table the chart replaces). */
  onDrawn?: () => void;
}

/** A horizontal bar chart drawn by Chart.js on a canvas whose accessible name lists every bar. */
export function BarChart({ spec, onDrawn }: BarChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || spec.labels.length === 0) return undefined;
    let chart: Chart<'bar'> | null = null;
    try {
      chart = new Chart(canvas, configFor(spec, Math.ceil(widest(canvas, spec.valueLabels)) + 12));
    } catch (error) {
      console.error('releases island: a chart could not be drawn', error);
      return undefined;
    }
    // Marks the canvas as drawn (for the page's tests and styles); the chart is drawn in the constructor.
    canvas.dataset.drawn = 'true';
    drawnRef.current?.();
    return () => {
      delete canvas.dataset.drawn;
      chart?.destroy();
    };
  }, [spec]);
  if (spec.labels.length === 0) return null;
  return (
    <div className="rl-chart" style={{ height: `${chartHeight(spec.labels.length)}px` }}>
      <canvas ref={canvasRef} role="img" aria-label={spec.ariaLabel} />
    </div>
  );
}
