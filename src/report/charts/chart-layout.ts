// Shared layout of the convergence chart (SVG and PNG): options, nice ticks, scales, colours, legend.

import { BilevelError } from '../../core/errors.js';
import type { MetricDirection } from '../../core/metric-direction.js';

/** One line of the chart: y values by trial index (0 = baseline); null = no value at that trial. */
export interface ChartSeries {
  /** Shown in the legend (thick series) and as the line's tooltip in SVG. */
  label: string;
  /** Metric value per trial index 0..n-1; nulls are skipped (the line joins its neighbours). */
  points: readonly (number | null)[];
  /** `thin` for one repeat (light, drawn first), `thick` for a group mean (drawn on top, in the legend). */
  weight: 'thin' | 'thick';
  /** `#rgb` or `#rrggbb`; default: a colour-blind-safe palette colour by series index. */
  color?: string;
}

export interface ConvergenceChartOptions {
  title: string;
  /** The metric's name, shown on the y axis with its direction. */
  metricName: string;
  direction: MetricDirection;
  series: readonly ChartSeries[];
  /** Pixels; default 800. */
  width?: number;
  /** Pixels; default 480. */
  height?: number;
}

export interface Tick {
  value: number;
  /** Position along the axis, in pixels. */
  position: number;
  label: string;
}

export interface ResolvedSeries {
  label: string;
  weight: 'thin' | 'thick';
  /** `#rrggbb`. */
  color: string;
  /** Pixel coordinates of the non-null values, in trial order. */
  points: { x: number; y: number }[];
}

export interface ChartLayout {
  width: number;
  height: number;
  /** The title, cut to fit the width at the small size. */
  title: string;
  /** True when the title fits at the large size (16px SVG / 2× PNG font, ≤ 12 px per character). */
  titleLarge: boolean;
  xTitle: string;
  yTitle: string;
  /** Plot area in pixels (y grows downwards). */
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Tick[];
  yTicks: Tick[];
  /** Thin series first, then thick ones, each in input order. */
  series: ResolvedSeries[];
  /** Thick series (all series when none is thick), in input order; labels cut to 28 characters. */
  legend: { label: string; color: string; weight: 'thin' | 'thick'; x: number; y: number }[];
  /** True when no series has any value (the chart says "no data"). */
  empty: boolean;
}

/** Okabe–Ito colours, readable by colour-blind viewers (yellow left out: too pale on white). */
export const chartPalette = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/** Pixel width of one character in the layout's text metrics (the PNG font's advance; close to 12px sans). */
export const characterWidth = 7;
const legendLabelLimit = 28;

/** Expands `#rgb` to `#rrggbb`; throws on anything else (colours go into SVG attributes and PNG pixels). */
export function normalizeColor(color: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toLowerCase();
  throw new BilevelError('INTERNAL', `chart colour ${JSON.stringify(color)} is not #rgb or #rrggbb`, {
    hint: 'Pass colours as hex, e.g. #0072b2.',
  });
}

/** The "nice" number (1, 2 or 5 × 10^k) nearest to `value` (after Heckbert, Graphics Gems 1990). */
function niceNumber(value: number): number {
  const exponent = Math.floor(Math.log10(value));
  const fraction = value / 10 ** exponent;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** Nice tick values covering [min, max] (min < max), about `count` of them, with their label decimals. */
export function niceTicks(min: number, max: number, count: number): { values: number[]; decimals: number } {
  const step = niceNumber((max - min) / Math.max(1, count - 1));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  for (let index = first; index <= last; index += 1) values.push(Number((index * step).toFixed(decimals)));
  return { values, decimals };
}

/** Computes everything both renderers draw; the same options always give the same layout. */
export function layoutConvergenceChart(options: ConvergenceChartOptions): ChartLayout {
  const width = options.width ?? 800;
  const height = options.height ?? 480;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 240 || height < 160 || width * height > 4e7) {
    throw new BilevelError('INTERNAL', `chart size ${width}×${height} is not supported`, {
      hint: 'Use whole-number pixel sizes of at least 240×160 and at most 40 megapixels.',
    });
  }
  const trialCount = options.series.reduce((longest, series) => Math.max(longest, series.points.length), 0);
  const values = options.series.flatMap((series) =>
    series.points.filter((value): value is number => value !== null && Number.isFinite(value)),
  );
  const empty = values.length === 0;
  let low = empty ? 0 : values.reduce((lowest, value) => Math.min(lowest, value));
  let high = empty ? 1 : values.reduce((highest, value) => Math.max(highest, value));
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.05;
    low -= pad;
    high += pad;
  }

  const legendSource = options.series.some((series) => series.weight === 'thick')
    ? options.series.filter((series) => series.weight === 'thick')
    : options.series;
  const colors = options.series.map((series, index) =>
    normalizeColor(series.color ?? chartPalette[index % chartPalette.length]!),
  );
  const legendLabels = legendSource.map((series) => cut(series.label, legendLabelLimit));
  const legendWidth =
    legendLabels.length === 0 ? 0 : 24 + 8 + Math.max(...legendLabels.map((label) => label.length)) * characterWidth;

  const top = 44;
  const bottom = height - 52;
  const yTickGuess = niceTicks(low, high, Math.max(3, Math.round((bottom - top) / 45)));
  const yLabels = yTickGuess.values.map((value) => value.toFixed(yTickGuess.decimals));
  const left = 16 + 14 + Math.max(...yLabels.map((label) => label.length)) * characterWidth + 8;
  const right = width - 20 - legendWidth;

  const yMin = yTickGuess.values[0]!;
  const yMax = yTickGuess.values[yTickGuess.values.length - 1]!;
  const xMax = Math.max(1, trialCount - 1);
  const x = (trial: number): number => left + (trial / xMax) * (right - left);
  const y = (value: number): number => bottom - ((value - yMin) / (yMax - yMin)) * (bottom - top);

  const xTickSet = niceTicks(0, xMax, Math.max(2, Math.round((right - left) / 50)));
  const xStep = Math.max(1, (xTickSet.values[1] ?? 1) - (xTickSet.values[0] ?? 0));
  const xTicks: Tick[] = [];
  for (let trial = 0; trial <= xMax; trial += xStep)
    xTicks.push({ value: trial, position: x(trial), label: `${trial}` });
  const yTicks = yTickGuess.values.map((value, index) => ({ value, position: y(value), label: yLabels[index]! }));

  const resolved = options.series.map((series, index) => ({
    label: series.label,
    weight: series.weight,
    color: colors[index]!,
    points: series.points.flatMap((value, trial) =>
      value !== null && Number.isFinite(value) ? [{ x: x(trial), y: y(value) }] : [],
    ),
  }));
  const legend = legendSource.map((series, index) => ({
    label: legendLabels[index]!,
    color: colors[options.series.indexOf(series)]!,
    weight: series.weight,
    x: right + 20,
    y: top + 8 + index * 18,
  }));
  const title = cut(options.title, Math.floor((width - 16) / characterWidth));
  return {
    width,
    height,
    title,
    titleLarge: title.length * 12 <= width - 16,
    xTitle: 'trial',
    yTitle: `${options.metricName} (${options.direction === 'minimize' ? 'lower' : 'higher'} is better)`,
    plot: { left, top, right, bottom },
    xTicks,
    yTicks,
    series: [...resolved.filter((series) => series.weight === 'thin'), ...resolved.filter((s) => s.weight === 'thick')],
    legend,
    empty,
  };
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}
