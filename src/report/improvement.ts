// The running best of a run's trials, in the metric's direction.
import { isBetter, type MetricDirection } from '../core/metric-direction.js';

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
