// Standardized effect sizes between two groups: Cohen's d and Hedges' g.
import { assertFiniteSample, mean, sampleVariance } from './finite-sample.js';
import { logGamma } from './special-functions.js';

/**
 * Cohen's d = (mean(a) - mean(b)) / pooled sd, with pooled variance
 * ((n_a - 1) var(a) + (n_b - 1) var(b)) / (n_a + n_b - 2). Positive when a's mean is larger.
 * NaN when n_a + n_b < 3 or either group is empty, or when the pooled sd is 0 (constant groups).
 */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  assertFiniteSample(a, 'cohensD (group a)');
  assertFiniteSample(b, 'cohensD (group b)');
  const df = a.length + b.length - 2;
  if (a.length === 0 || b.length === 0 || df < 1) return Number.NaN;
  const sumOfSquares =
    (a.length > 1 ? (a.length - 1) * sampleVariance(a) : 0) + (b.length > 1 ? (b.length - 1) * sampleVariance(b) : 0);
  const pooledSd = Math.sqrt(sumOfSquares / df);
  if (!(pooledSd > 0)) return Number.NaN;
  return (mean(a) - mean(b)) / pooledSd;
}

/**
 * Hedges' g = J(df) · d, df = n_a + n_b - 2, with the exact small-sample correction
 * J(df) = Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2)) (Hedges 1981); ≈ 1 - 3/(4 df - 1).
 * NaN when df < 2 (J is undefined) or d is.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): number {
  const d = cohensD(a, b);
  const df = a.length + b.length - 2;
  if (df < 2) return Number.NaN;
  return hedgesCorrection(df) * d;
}

/** J(df), the factor that removes Cohen's d's small-sample bias (0.5642 at df = 2, → 1 as df grows). */
export function hedgesCorrection(df: number): number {
  return Math.exp(logGamma(df / 2) - 0.5 * Math.log(df / 2) - logGamma((df - 1) / 2));
}
