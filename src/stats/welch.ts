// Welch's unequal-variance t-test between two groups of repeats.
import { assertFiniteSample, mean, sampleVariance } from './finite-sample.js';
import { studentTTwoSidedP } from './student-t.js';

/**
 * Why a test could not be computed:
 * - `ok`: t, df and p are defined;
 * - `too-few-values`: a group has fewer than 2 values, so its variance is unknown (t, df, p are NaN);
 * - `zero-variance`: both groups are constant, so the standard error is 0 (t, df, p are NaN);
 *   when their means differ the groups are separated, but no t-test can say how surely: use
 *   `permutationTest`, which stays defined.
 */
export type TestStatus = 'ok' | 'too-few-values' | 'zero-variance';

export interface WelchResult {
  /** t statistic, (mean(a) - mean(b)) / standard error; positive when a's mean is larger. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value, P(|T| ≥ |t|). */
  p: number;
  /** mean(a) - mean(b), in the values' units. */
  meanDifference: number;
  /** sqrt(var(a)/n_a + var(b)/n_b), in the values' units. */
  standardError: number;
  status: TestStatus;
}

/** Welch's two-sample t-test (two-sided), with the t CDF from the regularized incomplete beta function. */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult {
  assertFiniteSample(a, 'welchTest (group a)');
  assertFiniteSample(b, 'welchTest (group b)');
  const meanDifference = a.length > 0 && b.length > 0 ? mean(a) - mean(b) : Number.NaN;
  const undefinedResult = (status: TestStatus, standardError: number): WelchResult => ({
    t: Number.NaN,
    df: Number.NaN,
    p: Number.NaN,
    meanDifference,
    standardError,
    status,
  });
  if (a.length < 2 || b.length < 2) return undefinedResult('too-few-values', Number.NaN);
  const shareA = sampleVariance(a) / a.length;
  const shareB = sampleVariance(b) / b.length;
  const variance = shareA + shareB;
  if (!(variance > 0)) return undefinedResult('zero-variance', 0);
  const standardError = Math.sqrt(variance);
  const t = meanDifference / standardError;
  const df = (variance * variance) / ((shareA * shareA) / (a.length - 1) + (shareB * shareB) / (b.length - 1));
  return { t, df, p: studentTTwoSidedP(t, df), meanDifference, standardError, status: 'ok' };
}
