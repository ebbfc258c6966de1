// Student's t distribution: CDF, two-sided p-value and quantile (stdlib's; df may be fractional, as in Welch's test).
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { normalCdf, normalQuantile } from './normal.js';

/** P(T ≤ t) for T ~ Student t with `df` > 0 degrees of freedom; df = Infinity gives the normal CDF. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  // stdlib answers 0.5 for every t at df = Infinity; the limit is the normal.
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  return tCdf(t, df);
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic (the lower tail doubled, so tiny p keep their digits). */
export function studentTTwoSidedP(t: number, df: number): number {
  return 2 * studentTCdf(-Math.abs(t), df);
}

/** t such that P(T ≤ t) = probability; ±Infinity at 0 and 1. */
export function studentTQuantile(probability: number, df: number): number {
  if (Number.isNaN(probability) || probability < 0 || probability > 1 || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(probability);
  return tQuantile(probability, df);
}
