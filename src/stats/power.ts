// Sample size per group for a two-sided two-sample t-test: how many repeats an observed effect needs.
import { BilevelError } from '../core/errors.js';
import { noncentralTCdf } from './noncentral-t.js';
import { normalQuantile } from './normal.js';
import { studentTQuantile } from './student-t.js';

export interface PowerOptions {
  /** Two-sided significance level; default 0.05. */
  alpha?: number;
  /** Wanted probability of a significant result when the effect is real; default 0.8. */
  power?: number;
}

/** Above this many per group the t and normal tests agree; the closed-form approximation is returned. */
const exactSearchLimit = 1_000_000;

/**
 * Power of a two-sided pooled two-sample t-test with n per group and standardized effect d:
 * P(|T'| > t_{1-α/2, 2n-2}) with T' noncentral t, df = 2n - 2, noncentrality d·sqrt(n/2).
 */
export function twoSampleTPower(effectSizeD: number, perGroup: number, alpha = 0.05): number {
  if (!(perGroup >= 2) || Number.isNaN(effectSizeD)) return Number.NaN;
  const df = 2 * perGroup - 2;
  const noncentrality = Math.abs(effectSizeD) * Math.sqrt(perGroup / 2);
  const critical = studentTQuantile(1 - alpha / 2, df);
  return 1 - noncentralTCdf(critical, df, noncentrality) + noncentralTCdf(-critical, df, noncentrality);
}

/**
 * Repeats needed per group for a two-sided two-sample t-test at level `alpha` to detect a
 * standardized effect of |d| with probability `power` (smallest n ≥ 2 reaching it).
 * Computed exactly with the noncentral t distribution (as G*Power does): the normal approximation
 * n ≈ 2 (z_{1-α/2} + z_power)² / d² is only the starting point of a search over n.
 * For n above 1,000,000 the approximation plus Guenther's t correction (+ z²_{1-α/2} / 4) is returned.
 * d = 0 gives Infinity (no number of repeats detects no effect).
 */
export function repeatsNeeded(effectSizeD: number, options: PowerOptions = {}): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!Number.isFinite(effectSizeD) || !(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new BilevelError('INTERNAL', `repeatsNeeded: d ${effectSizeD}, alpha ${alpha}, power ${power} out of range`, {
      hint: 'Pass a finite effect size (check that the groups are not constant) and alpha, power in (0, 1).',
    });
  }
  const d = Math.abs(effectSizeD);
  if (d === 0) return Number.POSITIVE_INFINITY;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const approximate = (2 * (zAlpha + zPower) ** 2) / (d * d);
  if (approximate > exactSearchLimit) return Math.ceil(approximate + (zAlpha * zAlpha) / 4);
  const reaches = (n: number): boolean => twoSampleTPower(d, n, alpha) >= power;
  // Power grows with n, so walk from the approximation to the smallest n that reaches the target.
  let n = Math.max(2, Math.ceil(approximate));
  while (!reaches(n)) n += 1;
  while (n > 2 && reaches(n - 1)) n -= 1;
  return n;
}
