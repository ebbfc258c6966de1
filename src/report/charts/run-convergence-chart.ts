// The convergence chart of one run: best kept metric so far by trial (thick) over each trial's raw metric (thin).
import type { MetricDirection } from '../../core/metric-direction.js';
import { runningBest } from '../improvement.js';
import type { ChartSeries, ConvergenceChartOptions } from './chart-layout.js';

export interface ChartTrial {
  /** 0 is the baseline. */
  index: number;
  status: string;
  /** Null when the trial produced no metric (crash, timeout, rejected). */
  metric: number | null;
}

export interface RunConvergenceChart {
  options: ConvergenceChartOptions;
  /** Best kept metric up to and including each trial index 0..n (crashes carry the best over). */
  bestSoFar: (number | null)[];
  /** Raw metrics left off the thin line because they are far worse than the baseline (they would flatten the chart). */
  omittedRaw: number;
  /** The cut-off beyond which raw metrics are left off (metric units), or null when none was needed. */
  rawLimit: number | null;
}

export const bestSoFarColor = '#0072b2';
export const rawMetricColor = '#d55e00';

/**
 * Builds the chart for one run. The thick line has one point per trial index 0..n once the first
 * kept metric exists; it follows kept trials only, so it matches the run's `best`. The thin line
 * shows every measured metric, leaving off outliers worse than the worst best-so-far value by more
 * than twice the chart's range (range = max(improvement span, 1% of |baseline|)).
 */
export function runConvergenceChart(input: {
  title: string;
  metricName: string;
  direction: MetricDirection;
  trials: readonly ChartTrial[];
}): RunConvergenceChart {
  const length = input.trials.reduce((longest, trial) => Math.max(longest, trial.index + 1), 0);
  const kept: (number | null)[] = Array.from({ length }, () => null);
  const raw: (number | null)[] = Array.from({ length }, () => null);
  for (const trial of input.trials) {
    if (trial.metric === null || !Number.isFinite(trial.metric)) continue;
    raw[trial.index] = trial.metric;
    if (trial.status === 'keep') kept[trial.index] = trial.metric;
  }
  const bestSoFar = runningBest(kept, input.direction);

  const anchors = bestSoFar.filter((value): value is number => value !== null);
  let omittedRaw = 0;
  let rawLimit: number | null = null;
  if (anchors.length > 0) {
    const low = Math.min(...anchors);
    const high = Math.max(...anchors);
    const range = Math.max(high - low, Math.abs(anchors[0]!) * 0.01, 1e-12);
    const limit = input.direction === 'minimize' ? high + 2 * range : low - 2 * range;
    raw.forEach((value, index) => {
      if (value === null) return;
      if (input.direction === 'minimize' ? value > limit : value < limit) {
        raw[index] = null;
        omittedRaw += 1;
      }
    });
    if (omittedRaw > 0) rawLimit = limit;
  }

  const series: ChartSeries[] = [
    { label: 'each trial', points: raw, weight: 'thin', color: rawMetricColor },
    { label: 'best kept so far', points: bestSoFar, weight: 'thick', color: bestSoFarColor },
  ];
  return {
    options: { title: input.title, metricName: input.metricName, direction: input.direction, series },
    bestSoFar,
    omittedRaw,
    rawLimit,
  };
}
