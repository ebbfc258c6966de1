// Seeded percentile-bootstrap confidence interval for a mean.
import { BilevelError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { assertFiniteSample, mean } from './finite-sample.js';

export interface BootstrapOptions {
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /** Number of bootstrap resamples; default 10,000. */
  resamples?: number;
  /** PRNG seed: the same values, options and seed always give the same interval. */
  seed: number;
}

export interface ConfidenceInterval {
  /** Lower bound, in the values' units. */
  low: number;
  /** Upper bound, in the values' units. */
  high: number;
}

/**
 * Percentile bootstrap interval of the mean: resample the values with replacement, take each
 * resample's mean, and report the (1 - level)/2 and (1 + level)/2 quantiles of those means
 * (linear interpolation between order statistics, like numpy's default). With n = 1 the
 * interval is the value itself; with n = 0 both bounds are NaN. With n ≤ 3 (the paper's repeats)
 * the percentile interval is known to be too narrow: report n next to it.
 */
export function bootstrapMeanCi(values: readonly number[], options: BootstrapOptions): ConfidenceInterval {
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 10_000;
  if (!(level > 0 && level < 1) || !Number.isInteger(resamples) || resamples < 1) {
    throw new BilevelError('INTERNAL', `bootstrapMeanCi: level ${level} or resamples ${resamples} out of range`, {
      hint: 'Pass a level strictly between 0 and 1 and a positive whole number of resamples.',
    });
  }
  assertFiniteSample(values, 'bootstrapMeanCi');
  const n = values.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  if (n === 1) return { low: values[0]!, high: values[0]! };
  const rng = createRng(options.seed);
  const means = new Float64Array(resamples);
  const resample = new Array<number>(n);
  for (let round = 0; round < resamples; round += 1) {
    for (let index = 0; index < n; index += 1) resample[index] = values[rng.int(n)]!;
    means[round] = mean(resample);
  }
  means.sort();
  const alpha = 1 - level;
  return { low: quantileSorted(means, alpha / 2), high: quantileSorted(means, 1 - alpha / 2) };
}

/** Quantile of sorted data by linear interpolation between order statistics (Hyndman & Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!);
}
