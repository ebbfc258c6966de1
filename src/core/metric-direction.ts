// A metric's direction, once: whether lower or higher is better, which of two values is better, and by how much.
import { BilevelError } from './errors.js';

/** `minimize` when lower is better (loss, bits per byte), `maximize` when higher is better. */
export type MetricDirection = 'minimize' | 'maximize';

/** True when `candidate` is strictly better than `reference` in the metric's direction. */
export function isBetter(candidate: number, reference: number, direction: MetricDirection): boolean {
  return direction === 'minimize' ? candidate < reference : candidate > reference;
}

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

/** "lower is better" or "higher is better". */
export function directionWords(direction: MetricDirection): string {
  return direction === 'minimize' ? 'lower is better' : 'higher is better';
}
