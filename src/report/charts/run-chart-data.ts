// What a run's convergence chart shows, without pixels: each trial's point, the best so far, the scale, the events.
// The report's SVG/PNG and any other view of the chart (e.g. a browser dashboard) draw from this one object.
import type { MetricDirection } from '../../core/metric-direction.js';
import { runningBest } from '../improvement.js';

export interface ChartTrial {
  /** 0 is the baseline. */
  index: number;
  status: string;
  /** Null when the trial produced no metric (crash, timeout, rejected). */
  metric: number | null;
  /** The trial's metric was measured on a loaded machine (optional; drawn as a ring around its dot). */
  underLoad?: boolean;
}

/** Something that happened between trials: a Level 1.5 cycle, or a mechanism joining or leaving the run. */
export interface ChartEvent {
  /** It happened after this trial, before the next. */
  afterTrial: number;
  kind: 'level-1.5' | 'activated' | 'retired';
  /** The cycle ("cycle 2") or the mechanism's name. */
  label: string;
}

/**
 * Where a trial's mark goes: on the scale; pinned to the plot's top or bottom edge because its metric is far off
 * the scale (`above` = larger values); or in the "no metric" lane below the plot (nothing was measured).
 */
export type Placement = 'scale' | 'above' | 'below' | 'no-metric';

export interface ChartPoint {
  trial: number;
  status: string;
  metric: number | null;
  placement: Placement;
  underLoad: boolean;
}

export interface RunChartData {
  metricName: string;
  direction: MetricDirection;
  /** The x axis covers trials 0..trialSpan-1: those recorded, and those planned but not run yet. */
  trialSpan: number;
  /** Trials recorded (0..recorded-1); after them nothing was measured yet. */
  recorded: number;
  /** One per recorded trial, in trial order. */
  points: ChartPoint[];
  /** Best kept metric up to and including each recorded trial (a step line); null before the first kept metric. */
  bestSoFar: (number | null)[];
  /** The metric range the scale must show (every on-scale point and the best so far); null when nothing measured. */
  range: { low: number; high: number } | null;
  /** Off-scale points lie beyond this value (on the worse side); null when none is off scale. */
  offScaleBeyond: number | null;
  /** In trial order. */
  events: ChartEvent[];
}

/**
 * How far beyond the worst best-so-far value a trial may lie and still be drawn on the scale, in units of the
 * best-so-far span (at least 1% of the first best value): further ones would flatten the best-so-far line.
 */
const offScaleSpans = 4;

export function runChartData(input: {
  metricName: string;
  direction: MetricDirection;
  trials: readonly ChartTrial[];
  /** Trials planned after the baseline (`--trials`): the axis reaches trial `plannedTrials` even if not run. */
  plannedTrials?: number;
  events?: readonly ChartEvent[];
}): RunChartData {
  const trials = [...input.trials].sort((left, right) => left.index - right.index);
  const recorded = trials.reduce((longest, trial) => Math.max(longest, trial.index + 1), 0);
  const kept: (number | null)[] = Array.from({ length: recorded }, () => null);
  for (const trial of trials) {
    if (trial.status === 'keep' && trial.metric !== null && Number.isFinite(trial.metric)) {
      kept[trial.index] = trial.metric;
    }
  }
  const bestSoFar = runningBest(kept, input.direction);
  const anchors = bestSoFar.filter((value): value is number => value !== null);
  const measured = (trial: ChartTrial): trial is ChartTrial & { metric: number } =>
    trial.metric !== null && Number.isFinite(trial.metric);

  let limit: number | null = null;
  if (anchors.length > 0) {
    const low = Math.min(...anchors);
    const high = Math.max(...anchors);
    const span = Math.max(high - low, Math.abs(anchors[0]!) * 0.01, 1e-12);
    limit = input.direction === 'minimize' ? high + offScaleSpans * span : low - offScaleSpans * span;
  }
  const beyond = (value: number): boolean =>
    limit !== null && (input.direction === 'minimize' ? value > limit : value < limit);
  const points: ChartPoint[] = trials.map((trial) => ({
    trial: trial.index,
    status: trial.status,
    metric: trial.metric,
    placement: !measured(trial)
      ? 'no-metric'
      : beyond(trial.metric)
        ? input.direction === 'minimize'
          ? 'above'
          : 'below'
        : 'scale',
    underLoad: trial.underLoad === true,
  }));
  const onScale = [
    ...anchors,
    ...points.flatMap((point) => (point.placement === 'scale' ? [point.metric as number] : [])),
  ];
  const offScale = points.some((point) => point.placement === 'above' || point.placement === 'below');
  return {
    metricName: input.metricName,
    direction: input.direction,
    trialSpan: Math.max(recorded, (input.plannedTrials ?? 0) + 1),
    recorded,
    points,
    bestSoFar,
    range: onScale.length === 0 ? null : { low: Math.min(...onScale), high: Math.max(...onScale) },
    offScaleBeyond: offScale ? limit : null,
    events: [...(input.events ?? [])].sort((left, right) => left.afterTrial - right.afterTrial),
  };
}
