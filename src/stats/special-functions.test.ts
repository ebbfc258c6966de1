import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta } from './special-functions.js';

/** Relative error, with an absolute floor for values near 0. */
function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('logGamma', () => {
  it('matches Python math.lgamma (reference values pasted from Python 3.11)', () => {
    const cases: [number, number][] = [
      [0.1, 2.2527126517342055],
      [0.5, 0.5723649429247004],
      [2.5, 0.2846828704729196],
      [10, 12.801827480081467],
      [171.3, 708.114947038997],
      [1e5, 1051287.7089736566],
    ];
    for (const [x, expected] of cases) expect(relativeError(logGamma(x), expected)).toBeLessThan(1e-13);
  });

  it('gives ln((n-1)!) for integers', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 13);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches scipy.special.betainc (scipy 1.17.1)', () => {
    const cases: [number, number, number, number][] = [
      [0.3, 2, 3, 0.34829999999999994],
      [0.01, 5, 0.5, 2.4712578086395438e-11],
      [0.5, 200, 200, 0.49999999999999944],
      [0.999, 1000, 0.5, 0.15724727426672383],
    ];
    for (const [x, a, b, expected] of cases) {
      expect(relativeError(regularizedIncompleteBeta(x, a, b), expected)).toBeLessThan(1e-11);
    }
  });

  it('has the closed form 1 - (1 - x)^b for a = 1, and the edges 0 and 1', () => {
    expect(regularizedIncompleteBeta(0.2, 1, 3)).toBeCloseTo(1 - 0.8 ** 3, 14);
    expect(regularizedIncompleteBeta(0, 2, 2)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 2)).toBe(1);
  });
});
