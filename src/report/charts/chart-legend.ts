// A chart legend as scene shapes: one row per kind of mark the chart draws, its sample beside its label.
import { titleColor } from './chart-axes.js';
import { characterWidth, cutText, type MarkerShape, marker, type Shape } from './chart-scene.js';

export type LegendSample =
  | { kind: 'marker'; shape: MarkerShape; color: string; size?: number }
  | { kind: 'line'; color: string; width: number; dash?: readonly [number, number]; opacity?: number }
  | { kind: 'band'; color: string; opacity: number };

export interface LegendEntry {
  label: string;
  sample: LegendSample;
}

/** Characters a legend label may have; longer ones are cut. */
export const legendLabelLimit = 30;
const sampleWidth = 24;
const gap = 8;

/** The legend's width in pixels (0 without entries). */
export function legendWidth(entries: readonly LegendEntry[]): number {
  if (entries.length === 0) return 0;
  const longest = Math.max(...entries.map((entry) => cutText(entry.label, legendLabelLimit).length));
  return sampleWidth + gap + longest * characterWidth;
}

/** The width of one entry laid out in a row (its sample, its label, and a gap after it). */
function entryWidth(entry: LegendEntry): number {
  return sampleWidth + gap + cutText(entry.label, legendLabelLimit).length * characterWidth + 3 * gap;
}

/** The width of the legend laid out in one row. */
export function legendRowWidth(entries: readonly LegendEntry[]): number {
  return entries.reduce((sum, entry) => sum + entryWidth(entry), 0) - (entries.length > 0 ? 3 * gap : 0);
}

/**
 * The legend's shapes from (x, y) = the first entry's left edge and middle: one entry under another, `rowHeight`
 * apart, or (`row`) side by side.
 */
export function legendShapes(
  entries: readonly LegendEntry[],
  x: number,
  y: number,
  options: { rowHeight?: number; row?: boolean } = {},
): Shape[] {
  const rowHeight = options.rowHeight ?? 18;
  let along = x;
  return entries.flatMap((entry, index): Shape[] => {
    const middle = options.row ? y : y + index * rowHeight;
    const left = options.row ? along : x;
    along += entryWidth(entry);
    return entryShapes(entry, left, middle);
  });
}

/** One entry: its sample (a marker, a line or a band) and its label. */
function entryShapes(entry: LegendEntry, x: number, middle: number): Shape[] {
  const { sample } = entry;
  const shape: Shape =
    sample.kind === 'marker'
      ? marker(sample.shape, { x: x + sampleWidth / 2, y: middle }, sample.size ?? 8, sample.color, {
          className: 'legend-sample',
        })
      : sample.kind === 'line'
        ? {
            kind: 'line',
            className: 'legend-sample',
            points: [
              { x, y: middle },
              { x: x + sampleWidth, y: middle },
            ],
            stroke: sample.color,
            width: sample.width,
            ...(sample.dash ? { dash: sample.dash } : {}),
            ...(sample.opacity === undefined ? {} : { opacity: sample.opacity }),
          }
        : {
            kind: 'rect',
            className: 'legend-sample',
            x,
            y: middle - 6,
            width: sampleWidth,
            height: 12,
            fill: sample.color,
            opacity: sample.opacity,
          };
  return [
    shape,
    {
      kind: 'text',
      className: 'legend-label',
      x: x + sampleWidth + gap,
      y: middle + 4,
      text: cutText(entry.label, legendLabelLimit),
      size: 'normal',
      anchor: 'start',
      color: titleColor,
    },
  ];
}
