import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('normalCdf', () => {
  it('matches scipy.stats.norm.cdf (scipy 1.17.1), tails included', () => {
    const cases: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3, 0.0013498980316300933],
      [-1.96, 0.024997895148220435],
      [0, 0.5],
      [0.5, 0.6914624612740131],
      [2.5, 0.9937903346742238],
      [6, 0.9999999990134123],
    ];
    for (const [z, expected] of cases) expect(relativeError(normalCdf(z), expected)).toBeLessThan(1e-12);
  });
});

describe('normalQuantile', () => {
  it('matches scipy.stats.norm.ppf (scipy 1.17.1)', () => {
    const cases: [number, number][] = [
      [1e-12, -7.034483825301131],
      [0.001, -3.090232306167813],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.8, 0.8416212335729143],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, expected] of cases) expect(relativeError(normalQuantile(p), expected)).toBeLessThan(1e-12);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts the CDF and returns ±Infinity at the ends', () => {
    for (const p of [0.01, 0.2, 0.6, 0.99]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
