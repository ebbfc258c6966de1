// Descriptive statistics of one sample (e.g. the improvements of a group's repeats).
import { assertFiniteSample, mean, sampleVariance } from './finite-sample.js';

export interface SampleDescription {
  /** Number of values. */
  n: number;
  /** Arithmetic mean; NaN when n = 0. */
  mean: number;
  /** Sample standard deviation (divides by n - 1); NaN when n < 2. */
  sd: number;
  /** Middle value (mean of the two middle values for even n); NaN when n = 0. */
  median: number;
  /** Smallest value; NaN when n = 0. */
  min: number;
  /** Largest value; NaN when n = 0. */
  max: number;
}

/** Describes a sample of finite numbers; throws on NaN/Infinity (filter crashed runs first). */
export function describeSample(values: readonly number[]): SampleDescription {
  assertFiniteSample(values, 'describeSample');
  const n = values.length;
  if (n === 0) {
    return { n, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN };
  }
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return {
    n,
    mean: mean(values),
    sd: Math.sqrt(sampleVariance(values)),
    median,
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
}
