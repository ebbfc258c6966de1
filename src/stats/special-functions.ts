// Log-gamma and the regularized incomplete beta function: stdlib's, with the domain rules the statistics expect.
import betainc from '@stdlib/math-base-special-betainc';
import gammaln from '@stdlib/math-base-special-gammaln';

/** ln Γ(x) for x > 0; NaN otherwise. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  return gammaln(x);
}

/** I_x(a, b), the regularized incomplete beta function, for a, b > 0 (x is clamped to [0, 1]). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return betainc(x, a, b);
}
