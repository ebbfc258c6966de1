// Two-sided permutation test of a difference in means: exact for small groups, seeded Monte Carlo otherwise.
import { BilevelError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { assertFiniteSample, mean } from './finite-sample.js';

export interface PermutationOptions {
  /** Monte Carlo resamples when the exact count is too large; default 10,000. */
  resamples?: number;
  /** PRNG seed for Monte Carlo; default 0. */
  seed?: number;
  /** Enumerate all C(n_a + n_b, n_a) splits when there are at most this many; default 20,000. */
  exactUpTo?: number;
}

export interface PermutationResult {
  /**
   * Two-sided p-value: the share of relabellings whose |mean difference| is at least the observed
   * one (exact), or (count + 1)/(resamples + 1) (Monte Carlo, never 0). NaN when a group is empty.
   */
  p: number;
  /** True when every split was enumerated. */
  exact: boolean;
  /** mean(a) - mean(b), in the values' units. */
  observed: number;
  /** Splits enumerated (exact) or random relabellings drawn (Monte Carlo). */
  permutations: number;
}

/**
 * Permutation test of mean(a) - mean(b) (two-sided). Ties count as "at least as extreme", with a
 * relative tolerance of 1e-9 so rounding cannot turn the observed split itself into a non-tie.
 */
export function permutationTest(
  a: readonly number[],
  b: readonly number[],
  options: PermutationOptions = {},
): PermutationResult {
  const resamples = options.resamples ?? 10_000;
  const exactUpTo = options.exactUpTo ?? 20_000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new BilevelError('INTERNAL', `permutationTest: resamples ${resamples} must be a positive integer`, {
      hint: 'Pass a positive whole number of resamples (10,000 is a good default).',
    });
  }
  assertFiniteSample(a, 'permutationTest (group a)');
  assertFiniteSample(b, 'permutationTest (group b)');
  if (a.length === 0 || b.length === 0) return { p: Number.NaN, exact: true, observed: Number.NaN, permutations: 0 };
  const pooled = [...a, ...b];
  const sizeA = a.length;
  const sizeB = b.length;
  const total = pooled.reduce((sum, value) => sum + value, 0);
  // The mean difference of a split depends only on the sum of the values labelled "a".
  const differenceOf = (sumA: number): number => sumA / sizeA - (total - sumA) / sizeB;
  const observed = mean(a) - mean(b);
  const threshold = Math.abs(differenceOf(a.reduce((sum, value) => sum + value, 0)));
  const tolerance = 1e-9 * Math.max(threshold, Number.MIN_VALUE);
  const isExtreme = (sumA: number): boolean => Math.abs(differenceOf(sumA)) >= threshold - tolerance;

  const splits = binomialUpTo(pooled.length, sizeA, exactUpTo);
  if (splits <= exactUpTo) {
    let count = 0;
    forEachSubsetSum(pooled, sizeA, (sumA) => {
      if (isExtreme(sumA)) count += 1;
    });
    return { p: count / splits, exact: true, observed, permutations: splits };
  }
  const rng = createRng(options.seed ?? 0);
  const shuffled = [...pooled];
  let count = 0;
  for (let round = 0; round < resamples; round += 1) {
    // Partial Fisher–Yates: the first sizeA slots become a uniform random subset.
    let sumA = 0;
    for (let index = 0; index < sizeA; index += 1) {
      const swap = index + rng.int(shuffled.length - index);
      const chosen = shuffled[swap]!;
      shuffled[swap] = shuffled[index]!;
      shuffled[index] = chosen;
      sumA += chosen;
    }
    if (isExtreme(sumA)) count += 1;
  }
  return { p: (count + 1) / (resamples + 1), exact: false, observed, permutations: resamples };
}

/** C(n, k), or any number above `limit` as soon as the count is known to exceed it. */
export function binomialUpTo(n: number, k: number, limit: number): number {
  const smaller = Math.min(k, n - k);
  let result = 1;
  for (let index = 1; index <= smaller; index += 1) {
    result = (result * (n - smaller + index)) / index;
    if (result > limit) return Number.POSITIVE_INFINITY;
  }
  return Math.round(result);
}

/** Calls `visit` with the sum of every k-element subset of `values` (lexicographic index order). */
function forEachSubsetSum(values: readonly number[], k: number, visit: (sum: number) => void): void {
  const recurse = (start: number, remaining: number, sum: number): void => {
    if (remaining === 0) {
      visit(sum);
      return;
    }
    for (let index = start; index <= values.length - remaining; index += 1) {
      recurse(index + 1, remaining - 1, sum + values[index]!);
    }
  };
  recurse(0, k, 0);
}
