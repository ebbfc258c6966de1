// The noncentral t distribution's CDF, for the power of a t-test (Lenth's series, ours, on stdlib's special functions).
import betaln from '@stdlib/math-base-special-betaln';
import { normalCdf } from './normal.js';
import { regularizedIncompleteBeta } from './special-functions.js';

const maxIterations = 10_000;
const errorBound = 1e-13;

/**
 * P(T ≤ t) for T ~ noncentral t with `df` degrees of freedom and noncentrality `delta`.
 * Lenth's algorithm AS 243 (Applied Statistics 38, 1989): a Poisson-weighted series of incomplete
 * beta functions, summed until the error bound drops below 1e-13. Accurate for |delta| up to ~37.
 * Kept as our own code: stdlib has no noncentral t, and jStat's misses scipy by ~1e-9 (see decision 0009).
 */
export function noncentralTCdf(t: number, df: number, delta: number): number {
  if (Number.isNaN(t) || Number.isNaN(delta) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  // Work with t ≥ 0: P(T ≤ t; df, δ) = 1 - P(T ≤ -t; df, -δ).
  const negative = t < 0;
  const tt = negative ? -t : t;
  const del = negative ? -delta : delta;
  let result = 0;
  const x = (tt * tt) / (tt * tt + df);
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * del;
    let s = 0.5 - p;
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = (1 - x) ** b;
    const logBeta = betaln(a, b);
    let xOdd = regularizedIncompleteBeta(x, a, b);
    let gOdd = 2 * rxb * Math.exp(a * Math.log(x) - logBeta);
    let xEven = 1 - rxb;
    let gEven = b * x * rxb;
    result = p * xOdd + q * xEven;
    for (let en = 1; en <= maxIterations; en += 1) {
      a += 1;
      xOdd -= gOdd;
      xEven -= gEven;
      gOdd *= (x * (a + b - 1)) / a;
      gEven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * en);
      q *= lambda / (2 * en + 1);
      s -= p;
      result += p * xOdd + q * xEven;
      if (2 * s * (xOdd - gOdd) <= errorBound) break;
    }
  }
  result += normalCdf(-del);
  result = Math.min(1, Math.max(0, result));
  return negative ? 1 - result : result;
}
