// Student's t distribution: CDF, two-sided p-value and quantile (df may be fractional, as in Welch's test).
import { normalCdf, normalQuantile } from './normal.js';
import { regularizedIncompleteBeta } from './special-functions.js';

/** P(T ≤ t) for T ~ Student t with `df` > 0 degrees of freedom; df = Infinity gives the normal CDF. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
  const tail = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5) / 2;
  return t < 0 ? tail : 1 - tail;
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return 2 * normalCdf(-Math.abs(t));
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** t such that P(T ≤ t) = probability (bisection on the CDF to full double precision). */
export function studentTQuantile(probability: number, df: number): number {
  if (Number.isNaN(probability) || probability < 0 || probability > 1 || !(df > 0)) return Number.NaN;
  if (probability === 0) return Number.NEGATIVE_INFINITY;
  if (probability === 1) return Number.POSITIVE_INFINITY;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(probability);
  if (probability === 0.5) return 0;
  if (probability < 0.5) return -studentTQuantile(1 - probability, df);
  let low = 0;
  let high = Math.max(1, 2 * normalQuantile(probability));
  while (studentTCdf(high, df) < probability) {
    low = high;
    high *= 2;
    if (!Number.isFinite(high)) return Number.POSITIVE_INFINITY;
  }
  for (let iteration = 0; iteration < 200; iteration += 1) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (studentTCdf(middle, df) < probability) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
