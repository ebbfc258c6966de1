// Builds the convergence chart's series from groups of runs: running best per repeat and the group mean.
import type { MetricDirection } from '../../core/metric-direction.js';
import { runningBest } from '../improvement.js';
import type { ChartSeries } from './chart-layout.js';
import { chartPalette } from './chart-layout.js';

export interface ChartGroup {
  /** Group name, e.g. "A (Level 1)". */
  label: string;
  /** One metric list per repeat, by trial index (0 = baseline); null = crashed or missing trial. */
  runs: readonly (readonly (number | null)[])[];
  /** `#rgb` or `#rrggbb`; default: the palette colour of the group's index. */
  color?: string;
}

/**
 * One thin series per repeat (its running best) and one thick series per group: at each trial,
 * the mean of the running bests of the repeats that have a value there (repeats that have not
 * produced a metric yet, or have fewer trials, are left out of that trial's mean; null if none).
 */
export function convergenceSeries(groups: readonly ChartGroup[], direction: MetricDirection): ChartSeries[] {
  const thin: ChartSeries[] = [];
  const thick: ChartSeries[] = [];
  groups.forEach((group, groupIndex) => {
    const color = group.color ?? chartPalette[groupIndex % chartPalette.length]!;
    const bests = group.runs.map((run) => runningBest(run, direction));
    bests.forEach((points, repeat) => {
      thin.push({ label: `${group.label} repeat ${repeat + 1}`, points, weight: 'thin', color });
    });
    const length = Math.max(0, ...bests.map((points) => points.length));
    const means: (number | null)[] = [];
    for (let trial = 0; trial < length; trial += 1) {
      const present = bests
        .map((points) => points[trial])
        .filter((value): value is number => value !== null && value !== undefined);
      means.push(present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length);
    }
    const repeats = group.runs.length;
    thick.push({
      label: `${group.label} mean (${repeats} repeat${repeats === 1 ? '' : 's'})`,
      points: means,
      weight: 'thick',
      color,
    });
  });
  return [...thin, ...thick];
}
