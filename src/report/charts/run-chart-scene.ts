// Lays out a run's convergence chart: a dot per trial by status, the best so far as a step line, off-scale and
// unmeasured trials at the edges, a line per Level 1.5 cycle and mechanism change, and a legend for every mark.
import { formatStatusCounts } from '../status-counts.js';
import {
  axisTitles,
  inkColor,
  mutedColor,
  plotFrame,
  stepPoints,
  titleColor,
  trialScale,
  trialTicks,
  valueAxis,
  valueScale,
} from './chart-axes.js';
import { type LegendEntry, legendShapes, legendWidth } from './chart-legend.js';
import {
  characterWidth,
  checkChartSize,
  cutText,
  type MarkerShape,
  marker,
  type Scene,
  type Shape,
} from './chart-scene.js';
import type { ChartEvent, ChartPoint, RunChartData } from './run-chart-data.js';

/** How each status is marked: shape, colour (Okabe–Ito) and size in pixels. */
export const statusMarks: Record<string, { shape: MarkerShape; color: string; size: number }> = {
  keep: { shape: 'circle', color: '#009e73', size: 8 },
  discard: { shape: 'circle', color: '#8c8c8c', size: 6 },
  crash: { shape: 'cross', color: '#d55e00', size: 9 },
  timeout: { shape: 'cross', color: '#cc79a7', size: 9 },
  rejected: { shape: 'square', color: '#56b4e9', size: 6 },
};
const otherMark = { shape: 'square' as const, color: '#000000', size: 6 };
export const bestSoFarColor = '#0072b2';
const eventStyles: Record<ChartEvent['kind'], { color: string; dash: readonly [number, number]; legend: string }> = {
  'level-1.5': { color: '#999999', dash: [2, 3], legend: 'Level 1.5 cycle' },
  activated: { color: '#009e73', dash: [6, 3], legend: 'mechanism joins (+name)' },
  retired: { color: '#d55e00', dash: [6, 3], legend: 'mechanism retired (-name)' },
};
const notRunColor = '#f2f2f2';
const underLoadColor = '#000000';

function markOf(status: string): { shape: MarkerShape; color: string; size: number } {
  return statusMarks[status] ?? otherMark;
}

function formatValue(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

/** The chart's title line: large when it fits (the PNG font at 2× is 12 px a character), else normal and cut. */
export function titleShape(title: string, width: number): Shape {
  const large = title.length * 12 <= width - 16;
  return {
    kind: 'text',
    className: 'title',
    x: width / 2,
    y: 26,
    text: large ? title : cutText(title, Math.floor((width - 16) / characterWidth)),
    size: large ? 'large' : 'normal',
    anchor: 'middle',
    color: titleColor,
    bold: true,
  };
}

/** Event labels above the plot, in up to two rows so neighbours do not overlap. */
function eventLabels(events: readonly ChartEvent[], x: (at: number) => number, top: number): Shape[] {
  const ends = [-Infinity, -Infinity];
  return events
    .filter((event) => event.kind !== 'level-1.5')
    .map((event): Shape => {
      const text = cutText(`${event.kind === 'activated' ? '+' : '-'}${event.label}`, 18);
      const position = x(event.afterTrial + 0.5);
      const half = (text.length * characterWidth) / 2;
      const row = ends[0]! < position - half ? 0 : ends[1]! < position - half ? 1 : 0;
      ends[row] = position + half + 4;
      return {
        kind: 'text',
        className: `event-label ${event.kind}`,
        x: position,
        y: top - 6 - row * 14,
        text,
        size: 'normal',
        anchor: 'middle',
        color: eventStyles[event.kind].color,
      };
    });
}

/** Lays the chart out as a scene: the same data always gives the same shapes (and the same SVG and PNG bytes). */
export function runChartScene(data: RunChartData, options: { title: string; width?: number; height?: number }): Scene {
  const width = options.width ?? 800;
  const height = options.height ?? 480;
  checkChartSize(width, height);
  const direction = data.direction === 'minimize' ? 'lower' : 'higher';
  const present = new Set(data.points.map((point) => point.status));
  const offScale = data.points.filter((point) => point.placement === 'above' || point.placement === 'below');
  const kinds = new Set(data.events.map((event) => event.kind));

  const legend: LegendEntry[] = [
    ...['keep', 'discard', 'crash', 'timeout', 'rejected', ...[...present].filter((status) => !statusMarks[status])]
      .filter((status) => present.has(status))
      .map((status): LegendEntry => {
        const mark = markOf(status);
        const measured = status === 'keep' || status === 'discard';
        return {
          label: measured ? `${status} (a trial's metric)` : `${status} (no metric)`,
          sample: { kind: 'marker', shape: mark.shape, color: mark.color, size: mark.size },
        };
      }),
    { label: 'best kept so far', sample: { kind: 'line', color: bestSoFarColor, width: 2.5 } },
    ...(offScale.length > 0 && data.offScaleBeyond !== null
      ? [
          {
            label: `off scale: ${data.direction === 'minimize' ? '>' : '<'} ${formatValue(data.offScaleBeyond)} (${offScale.length})`,
            sample: {
              kind: 'marker' as const,
              shape: data.direction === 'minimize' ? ('triangle-up' as const) : ('triangle-down' as const),
              color: mutedColor,
              size: 9,
            },
          },
        ]
      : []),
    ...(data.points.some((point) => point.underLoad)
      ? [
          {
            label: 'measured under load',
            sample: { kind: 'marker' as const, shape: 'ring' as const, color: underLoadColor, size: 12 },
          },
        ]
      : []),
    ...(['level-1.5', 'activated', 'retired'] as const)
      .filter((kind) => kinds.has(kind))
      .map(
        (kind): LegendEntry => ({
          label: eventStyles[kind].legend,
          sample: { kind: 'line', color: eventStyles[kind].color, width: 1.5, dash: eventStyles[kind].dash },
        }),
      ),
    ...(data.trialSpan > data.recorded
      ? [{ label: 'not run yet', sample: { kind: 'band' as const, color: '#d9d9d9', opacity: 1 } }]
      : []),
  ];

  const axis = valueAxis(data.range?.low ?? 0, data.range?.high ?? 1, Math.round((height - 170) / 45));
  const labelWidth = Math.max(...axis.ticks.map((tick) => tick.label.length), 'no metric'.length) * characterWidth;
  const box = { left: 30 + labelWidth + 8, top: 86, right: width - 20 - legendWidth(legend) - 20, bottom: height - 56 };
  const lane = { top: box.bottom - 20, middle: box.bottom - 10 };
  const valueBox = { ...box, bottom: lane.top - 8 };
  const last = Math.max(1, data.trialSpan - 1);
  const x = trialScale(box, last);
  const y = valueScale(valueBox, axis);

  const shapes: Shape[] = [];
  if (data.trialSpan > data.recorded) {
    const from = data.recorded === 0 ? box.left : (x(data.recorded - 1) + x(data.recorded)) / 2;
    shapes.push({
      kind: 'rect',
      className: 'not-run',
      x: from,
      y: box.top,
      width: box.right - from,
      height: box.bottom - box.top,
      fill: notRunColor,
      title: `trials ${data.recorded} to ${data.trialSpan - 1}: not run yet`,
    });
  }
  shapes.push(
    ...plotFrame(box, axis, { last, ticks: trialTicks(last, box.right - box.left) }, { valueBottom: valueBox.bottom }),
  );
  shapes.push(
    {
      kind: 'line',
      className: 'lane',
      points: [
        { x: box.left, y: lane.top - 4 },
        { x: box.right, y: lane.top - 4 },
      ],
      stroke: '#cccccc',
      width: 1,
      dash: [2, 2],
    },
    {
      kind: 'text',
      className: 'lane-label',
      x: box.left - 8,
      y: lane.middle + 4,
      text: 'no metric',
      size: 'normal',
      anchor: 'end',
      color: mutedColor,
    },
  );

  for (const event of data.events) {
    const style = eventStyles[event.kind];
    const at = x(event.afterTrial + 0.5);
    shapes.push({
      kind: 'line',
      className: `event ${event.kind}`,
      points: [
        { x: at, y: box.top },
        { x: at, y: box.bottom },
      ],
      stroke: style.color,
      width: event.kind === 'level-1.5' ? 1 : 1.5,
      dash: style.dash,
      title: `after trial ${event.afterTrial}: ${event.kind === 'level-1.5' ? `Level 1.5 ${event.label}` : `${event.label} ${event.kind}`}`,
    });
  }

  const steps = stepPoints(data.bestSoFar, x, y);
  if (steps.length > 0) {
    shapes.push({
      kind: 'line',
      className: 'best-so-far',
      points: steps,
      stroke: bestSoFarColor,
      width: 2.5,
      title: `best kept ${data.metricName} so far`,
    });
  }

  // Discards first, kept trials on top; each mark says what it is when pointed at.
  const order = (point: ChartPoint): number => (point.status === 'keep' ? 1 : 0);
  for (const point of [...data.points].sort((left, right) => order(left) - order(right) || left.trial - right.trial)) {
    const mark = markOf(point.status);
    const value = point.metric === null ? 'no metric' : `${data.metricName} ${formatValue(point.metric)}`;
    const title = `trial ${point.trial}: ${point.status}, ${value}${point.placement === 'above' || point.placement === 'below' ? ' (off scale)' : ''}${point.underLoad ? ', measured under load' : ''}`;
    const at =
      point.placement === 'scale'
        ? { x: x(point.trial), y: y(point.metric as number) }
        : point.placement === 'no-metric'
          ? { x: x(point.trial), y: lane.middle }
          : { x: x(point.trial), y: point.placement === 'above' ? valueBox.top + 5 : valueBox.bottom - 5 };
    if (point.placement === 'above' || point.placement === 'below') {
      shapes.push(
        marker(point.placement === 'above' ? 'triangle-up' : 'triangle-down', at, 9, mark.color, {
          className: `trial ${point.status} off-scale`,
          title,
        }),
      );
    } else {
      shapes.push(
        marker(mark.shape, at, mark.size, mark.color, {
          className: `trial ${point.status}${point.placement === 'no-metric' ? ' no-metric' : ''}`,
          title,
        }),
      );
    }
    if (point.underLoad) shapes.push(marker('ring', at, 12, underLoadColor, { className: 'under-load', title }));
  }

  shapes.push(...eventLabels(data.events, x, box.top));
  const counts = formatStatusCounts(data.points.map((point) => point.status));
  shapes.push(
    titleShape(options.title, width),
    {
      kind: 'text',
      className: 'subtitle',
      x: width / 2,
      y: 46,
      text: cutText(
        `${data.recorded} trial${data.recorded === 1 ? '' : 's'} recorded (baseline = trial 0)${counts ? `: ${counts}` : ''}`,
        Math.floor((width - 16) / characterWidth),
      ),
      size: 'normal',
      anchor: 'middle',
      color: inkColor,
    },
    ...axisTitles(
      { text: 'trial', at: (box.left + box.right) / 2, y: box.bottom + 38 },
      { text: `${data.metricName} (${direction} is better)`, at: (valueBox.top + valueBox.bottom) / 2 },
    ),
  );
  if (data.range === null) {
    shapes.push({
      kind: 'text',
      className: 'empty',
      x: (box.left + box.right) / 2,
      y: (valueBox.top + valueBox.bottom) / 2,
      text: 'no metric measured yet',
      size: 'normal',
      anchor: 'middle',
      color: mutedColor,
    });
  }
  shapes.push(...legendShapes(legend, box.right + 20, box.top + 6));
  return { width, height, title: options.title, background: '#ffffff', shapes };
}
