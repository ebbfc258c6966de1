// Axes shared by the charts: nice ticks, linear scales, and a plot frame (grid, axes, tick labels) as scene shapes.
import type { Point, Shape } from './chart-scene.js';

export const inkColor = '#333333';
export const titleColor = '#222222';
export const gridColor = '#e6e6e6';
export const mutedColor = '#888888';

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

/** A plot area in pixels (y grows downwards). */
export interface PlotBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The y axis of a metric: nice ticks covering [low, high] (widened when flat) and its labels. */
export interface ValueAxis {
  min: number;
  max: number;
  ticks: { value: number; label: string }[];
}

export function valueAxis(low: number, high: number, tickCount: number): ValueAxis {
  let from = low;
  let to = high;
  if (from === to) {
    const pad = from === 0 ? 1 : Math.abs(from) * 0.05;
    from -= pad;
    to += pad;
  }
  const { values, decimals } = niceTicks(from, to, Math.max(3, tickCount));
  return {
    min: values[0]!,
    max: values[values.length - 1]!,
    ticks: values.map((value) => ({ value, label: value.toFixed(decimals) })),
  };
}

/** Trial ticks for 0..last: whole trials, a nice step for the width. */
export function trialTicks(last: number, width: number): number[] {
  const set = niceTicks(0, Math.max(1, last), Math.max(2, Math.round(width / 50)));
  const step = Math.max(1, (set.values[1] ?? 1) - (set.values[0] ?? 0));
  const ticks: number[] = [];
  for (let trial = 0; trial <= Math.max(1, last); trial += step) ticks.push(trial);
  return ticks;
}

/** Pixel position of a trial index, 0..last across the box. */
export function trialScale(box: PlotBox, last: number): (trial: number) => number {
  const span = Math.max(1, last);
  return (trial) => box.left + (trial / span) * (box.right - box.left);
}

/** Pixel position of a value on the axis. */
export function valueScale(box: PlotBox, axis: ValueAxis): (value: number) => number {
  return (value) => box.bottom - ((value - axis.min) / (axis.max - axis.min)) * (box.bottom - box.top);
}

/**
 * Grid, axes, ticks and tick labels of one plot box. Values are placed in the box down to `valueBottom` (default its
 * bottom; a lane below it can hold marks that have no value); tick labels are optional (small multiples share them).
 */
export function plotFrame(
  box: PlotBox,
  axis: ValueAxis,
  trials: { last: number; ticks: readonly number[] },
  options: { labels?: { x: boolean; y: boolean }; valueBottom?: number } = {},
): Shape[] {
  const labels = options.labels ?? { x: true, y: true };
  const x = trialScale(box, trials.last);
  const y = valueScale({ ...box, bottom: options.valueBottom ?? box.bottom }, axis);
  const shapes: Shape[] = [];
  const segment = (x1: number, y1: number, x2: number, y2: number, stroke: string, className: string): Shape => ({
    kind: 'line',
    className,
    points: [
      { x: x1, y: y1 },
      { x: x2, y: y2 },
    ],
    stroke,
    width: 1,
  });
  for (const tick of axis.ticks)
    shapes.push(segment(box.left, y(tick.value), box.right, y(tick.value), gridColor, 'grid'));
  for (const trial of trials.ticks) shapes.push(segment(x(trial), box.top, x(trial), box.bottom, gridColor, 'grid'));
  shapes.push(segment(box.left, box.bottom, box.right, box.bottom, inkColor, 'axis'));
  shapes.push(segment(box.left, box.top, box.left, box.bottom, inkColor, 'axis'));
  for (const trial of trials.ticks) {
    shapes.push(segment(x(trial), box.bottom, x(trial), box.bottom + 5, inkColor, 'tick'));
    if (labels.x) {
      shapes.push({
        kind: 'text',
        className: 'tick-label',
        x: x(trial),
        y: box.bottom + 17,
        text: String(trial),
        size: 'normal',
        anchor: 'middle',
        color: inkColor,
      });
    }
  }
  for (const tick of axis.ticks) {
    shapes.push(segment(box.left - 5, y(tick.value), box.left, y(tick.value), inkColor, 'tick'));
    if (labels.y) {
      shapes.push({
        kind: 'text',
        className: 'tick-label',
        x: box.left - 8,
        y: y(tick.value) + 4,
        text: tick.label,
        size: 'normal',
        anchor: 'end',
        color: inkColor,
      });
    }
  }
  return shapes;
}

/** A running best as a step line: flat until the value changes, then a vertical step at that trial. */
export function stepPoints(
  values: readonly (number | null)[],
  x: (trial: number) => number,
  y: (value: number) => number,
): Point[] {
  const points: Point[] = [];
  let previous: number | null = null;
  values.forEach((value, trial) => {
    if (value === null) return;
    if (previous === null) points.push({ x: x(trial), y: y(value) });
    else if (value !== previous) points.push({ x: x(trial), y: y(previous) }, { x: x(trial), y: y(value) });
    previous = value;
  });
  const last = values.length - 1;
  if (previous !== null && points.length > 0 && points[points.length - 1]!.x !== x(last)) {
    points.push({ x: x(last), y: y(previous) });
  }
  return points;
}

/** The axis titles: the x title centred at `x.at` on line `x.y`, the y title reading upwards at the left edge. */
export function axisTitles(x: { text: string; at: number; y: number }, y: { text: string; at: number }): Shape[] {
  return [
    {
      kind: 'text',
      className: 'axis-title',
      x: x.at,
      y: x.y,
      text: x.text,
      size: 'normal',
      anchor: 'middle',
      color: titleColor,
    },
    {
      kind: 'text',
      className: 'axis-title',
      x: 18,
      y: y.at,
      text: y.text,
      size: 'normal',
      anchor: 'middle',
      color: titleColor,
      vertical: true,
    },
  ];
}
