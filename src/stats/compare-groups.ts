// Between-group statistics of an ablation study: tests, effect sizes and the repeats a difference would need.
import { cohensD, hedgesG } from './effect-size.js';
import { type PermutationResult, permutationTest } from './permutation.js';
import { repeatsNeeded } from './power.js';
import { type WelchResult, welchTest } from './welch.js';

export interface CompareGroupsOptions {
  /** Seed of the Monte Carlo permutation test (used only when exact enumeration is too large); default 0. */
  seed?: number;
  /** Two-sided significance level for the sample-size estimate; default 0.05. */
  alpha?: number;
  /** Wanted power for the sample-size estimate; default 0.8. */
  power?: number;
  /** Monte Carlo resamples of the permutation test; default 10,000. */
  resamples?: number;
  /** Exact permutation enumeration up to this many splits; default 20,000. */
  exactUpTo?: number;
}

export interface GroupComparison {
  /** mean(a) - mean(b), in metric units (positive: a improved more). */
  meanDifference: number;
  welch: WelchResult;
  permutation: PermutationResult;
  /** Cohen's d (pooled sd); NaN when undefined. */
  cohensD: number;
  /** Hedges' g, the bias-corrected d; NaN when undefined. */
  hedgesG: number;
  /**
   * Repeats per group a two-sided t-test needs to find an effect of |g| significant at `alpha`
   * with probability `power`; Infinity when g = 0, NaN when g is undefined. Uses g rather than d
   * because d overstates the effect with few repeats.
   */
  repeatsNeeded: number;
}

/** Compares two groups' improvements (e.g. group C vs group A of an ablation). */
export function compareGroups(
  a: readonly number[],
  b: readonly number[],
  options: CompareGroupsOptions = {},
): GroupComparison {
  const welch = welchTest(a, b);
  const permutation = permutationTest(a, b, {
    seed: options.seed,
    resamples: options.resamples,
    exactUpTo: options.exactUpTo,
  });
  const g = hedgesG(a, b);
  return {
    meanDifference: permutation.observed,
    welch,
    permutation,
    cohensD: cohensD(a, b),
    hedgesG: g,
    repeatsNeeded: Number.isFinite(g) ? repeatsNeeded(g, { alpha: options.alpha, power: options.power }) : Number.NaN,
  };
}
