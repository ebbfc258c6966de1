// Lays out an ablation's convergence chart: one panel per group on a shared scale, so identical groups stay visible,
// each with its repeats, its mean, and the other groups' means in grey for comparison.
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
import { type LegendEntry, legendRowWidth, legendShapes } from './chart-legend.js';
import { characterWidth, checkChartSize, cutText, type Scene, type Shape } from './chart-scene.js';
import { titleShape } from './run-chart-scene.js';
import type { StudyChartData } from './study-chart-data.js';

const othersColor = '#bdbdbd';
const othersDash = [4, 3] as const;
const sameAsColor = '#b00000';

export function studyChartScene(
  data: StudyChartData,
  options: { title: string; subtitle?: string; width?: number; panelHeight?: number },
): Scene {
  const width = options.width ?? 800;
  const columns = data.groups.length <= 1 ? 1 : 2;
  const rows = Math.max(1, Math.ceil(data.groups.length / columns));
  const panelHeight = options.panelHeight ?? 190;
  const top = 64;
  const rowGap = 46;
  const height = top + rows * panelHeight + (rows - 1) * rowGap + 84;
  checkChartSize(width, height);

  const axis = valueAxis(data.range?.low ?? 0, data.range?.high ?? 1, Math.round(panelHeight / 40));
  const labelWidth = Math.max(...axis.ticks.map((tick) => tick.label.length)) * characterWidth;
  const gutter = 30 + labelWidth + 8;
  const columnGap = 24;
  const panelWidth = (width - 16 - columns * gutter - (columns - 1) * columnGap) / columns;
  const last = Math.max(1, data.trialSpan - 1);
  const ticks = trialTicks(last, panelWidth);

  const shapes: Shape[] = [titleShape(options.title, width)];
  if (options.subtitle) {
    shapes.push({
      kind: 'text',
      className: 'subtitle',
      x: width / 2,
      y: 46,
      text: cutText(options.subtitle, Math.floor((width - 16) / characterWidth)),
      size: 'normal',
      anchor: 'middle',
      color: inkColor,
    });
  }
  data.groups.forEach((group, index) => {
    const column = index % columns;
    const row = Math.floor(index / columns);
    const left = gutter + column * (panelWidth + gutter + columnGap);
    const boxTop = top + 18 + row * (panelHeight + rowGap);
    const box = { left, top: boxTop, right: left + panelWidth, bottom: boxTop + panelHeight - 18 };
    const x = trialScale(box, last);
    const y = valueScale(box, axis);
    const line = (
      values: readonly (number | null)[],
      style: { stroke: string; width: number; opacity?: number; dash?: readonly [number, number] },
      className: string,
      title: string,
    ): Shape[] => {
      const points = stepPoints(values, x, y);
      return points.length === 0 ? [] : [{ kind: 'line', className, points, title, ...style }];
    };
    const repeats = group.repeats.length;
    shapes.push(
      ...plotFrame(box, axis, { last, ticks }),
      {
        kind: 'text',
        className: 'panel-title',
        x: box.left,
        y: box.top - 8,
        text: cutText(
          `${group.label}: ${repeats} repeat${repeats === 1 ? '' : 's'}`,
          Math.floor(panelWidth / characterWidth),
        ),
        size: 'normal',
        anchor: 'start',
        color: titleColor,
        bold: true,
      },
      ...data.groups
        .filter((other) => other !== group)
        .flatMap((other) =>
          line(other.mean, { stroke: othersColor, width: 1.5, dash: othersDash }, 'other-mean', `${other.label} mean`),
        ),
      ...group.repeats.flatMap((series, repeat) =>
        line(series, { stroke: group.color, width: 1, opacity: 0.45 }, 'repeat', `${group.label} repeat ${repeat + 1}`),
      ),
      ...line(
        group.mean,
        { stroke: group.color, width: 2.5 },
        'mean',
        `${group.label} mean (${repeats} repeat${repeats === 1 ? '' : 's'})`,
      ),
    );
    if (group.sameAs) {
      shapes.push({
        kind: 'text',
        className: 'same-as',
        x: box.left + 8,
        y: box.top + 16,
        text: cutText(`identical to ${group.sameAs} in every repeat`, Math.floor((panelWidth - 16) / characterWidth)),
        size: 'normal',
        anchor: 'start',
        color: sameAsColor,
        bold: true,
      });
    }
    if (repeats === 0) {
      shapes.push({
        kind: 'text',
        className: 'empty',
        x: (box.left + box.right) / 2,
        y: (box.top + box.bottom) / 2,
        text: 'no finished repeat',
        size: 'normal',
        anchor: 'middle',
        color: mutedColor,
      });
    }
  });

  // The samples take the first group's colour; every panel draws its lines in its own group's colour.
  const sampleColor = data.groups[0]?.color ?? inkColor;
  const plotsBottom = top + 18 + rows * panelHeight + (rows - 1) * rowGap - 18;
  const legend: LegendEntry[] = [
    { label: "one repeat's best so far", sample: { kind: 'line', color: sampleColor, width: 1, opacity: 0.45 } },
    { label: "the group's mean", sample: { kind: 'line', color: sampleColor, width: 2.5 } },
    { label: "the other groups' means", sample: { kind: 'line', color: othersColor, width: 1.5, dash: othersDash } },
  ];
  shapes.push(
    ...axisTitles(
      { text: 'trial', at: width / 2, y: plotsBottom + 38 },
      { text: `${data.metricName} (higher is better)`, at: (top + plotsBottom) / 2 },
    ),
    ...legendShapes(legend, (width - legendRowWidth(legend)) / 2, plotsBottom + 62, { row: true }),
  );
  return { width, height, title: options.title, background: '#ffffff', shapes };
}
