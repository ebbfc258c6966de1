// The standard normal distribution: CDF, upper tail and quantile (stdlib's normal CDF and inverse erfc).
import erfcinv from '@stdlib/math-base-special-erfcinv';
import normalCdfOf from '@stdlib/stats-base-dists-normal-cdf';

/** Φ(z) = P(Z ≤ z) for a standard normal Z, with full relative precision in the lower tail. */
export function normalCdf(z: number): number {
  return normalCdfOf(z, 0, 1);
}

/** 1 - Φ(z), computed without cancellation for large z. */
export function normalUpperTail(z: number): number {
  return normalCdf(-z);
}

/**
 * z such that Φ(z) = probability: -√2 erfc⁻¹(2p), solved in the lower half (1 - p is exact for p ≥ 0.5).
 * Not stdlib's normal quantile: it goes through erfinv(2p - 1), which loses digits in the tails (4e-7 at p = 1e-12).
 */
export function normalQuantile(probability: number): number {
  if (Number.isNaN(probability) || probability < 0 || probability > 1) return Number.NaN;
  if (probability === 0.5) return 0;
  if (probability > 0.5) return -normalQuantile(1 - probability);
  return -Math.SQRT2 * erfcinv(2 * probability);
}
