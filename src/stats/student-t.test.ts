import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, studentTTwoSidedP } from './student-t.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('Student t distribution', () => {
  it('reproduces textbook table values', () => {
    // Two-sided 5% critical values from any t table: t(10) = 2.228, t(∞) = 1.960.
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(1.96, Number.POSITIVE_INFINITY)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(1.96, 1e9)).toBeCloseTo(0.05, 4);
    // One-sided 1% critical value for df = 5 is 3.365.
    expect(studentTCdf(3.365, 5)).toBeCloseTo(0.99, 4);
  });

  it('has the exact closed forms for df = 1 (Cauchy) and df = 2', () => {
    for (const t of [-3, -0.5, 0.7, 4]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    }
  });

  it('matches scipy.stats.t (scipy 1.17.1), fractional df and tiny p included', () => {
    const cases: [number, number, number, number][] = [
      // t, df, cdf, two-sided p
      [2.228, 10, 0.9749941140914443, 0.05001177181711132],
      [2.0, 3.5, 0.9369307387120432, 0.12613852257591343],
      [-1.5, 7, 0.088649243494985, 0.17729848698997],
      [0.3, 100, 0.6176000598498482, 0.7647998803003035],
      [12.0, 4, 0.9998617857257485, 0.000276428548502973],
    ];
    for (const [t, df, cdf, p] of cases) {
      expect(relativeError(studentTCdf(t, df), cdf)).toBeLessThan(1e-12);
      expect(relativeError(studentTTwoSidedP(t, df), p)).toBeLessThan(1e-11);
    }
    expect(relativeError(studentTTwoSidedP(40, 30), 1.3726045194406417e-27)).toBeLessThan(1e-10);
  });

  it('matches scipy.stats.t.ppf for the quantile', () => {
    expect(relativeError(studentTQuantile(0.975, 10), 2.228138851986274)).toBeLessThan(1e-13);
    expect(relativeError(studentTQuantile(0.975, 126), 1.9789706019906281)).toBeLessThan(1e-13);
    expect(relativeError(studentTQuantile(0.995, 3.3), 5.344306069721078)).toBeLessThan(1e-13);
    expect(relativeError(studentTQuantile(0.01, 5), -3.364929998907218)).toBeLessThan(1e-13);
  });

  it('returns NaN for invalid degrees of freedom', () => {
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTTwoSidedP(1, -2)).toBeNaN();
  });
});
