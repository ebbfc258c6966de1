// Direction-aware improvement over the baseline, and the running best of a run's trials.
import { BilevelError } from '../core/errors.js';

/** `minimize` when lower is better (loss, bits per byte), `maximize` when higher is better. */
export type MetricDirection = 'minimize' | 'maximize';

/**
 * How much `best` improves on `baseline`, in metric units: positive = better, negative = worse,
 * whatever the direction (minimize: baseline - best; maximize: best - baseline).
 */
export function improvement(baseline: number, best: number, direction: MetricDirection): number {
  if (!Number.isFinite(baseline) || !Number.isFinite(best)) {
    throw new BilevelError('INTERNAL', `improvement of ${best} over baseline ${baseline} is undefined`, {
      hint: 'Only compute an improvement for runs whose baseline and best trial both produced a metric.',
    });
  }
  return direction === 'minimize' ? baseline - best : best - baseline;
}

/** True when `candidate` is strictly better than `incumbent` in the given direction. */
export function isBetter(candidate: number, incumbent: number, direction: MetricDirection): boolean {
  return direction === 'minimize' ? candidate < incumbent : candidate > incumbent;
}

/**
 * The best metric seen up to and including each trial (index 0 is the baseline).
 * A missing value (null, or a non-finite number: a crashed or timed-out trial) carries the
 * previous best forward; positions before the first value stay null.
 */
export function runningBest(metrics: readonly (number | null)[], direction: MetricDirection): (number | null)[] {
  const result: (number | null)[] = [];
  let best: number | null = null;
  for (const value of metrics) {
    if (value !== null && Number.isFinite(value) && (best === null || isBetter(value, best, direction))) {
      best = value;
    }
    result.push(best);
  }
  return result;
}
