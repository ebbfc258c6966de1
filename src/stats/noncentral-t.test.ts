import { describe, expect, it } from 'vitest';
import { noncentralTCdf } from './noncentral-t.js';
import { studentTCdf } from './student-t.js';

describe('noncentralTCdf', () => {
  it('matches scipy.stats.nct.cdf (scipy 1.17.1)', () => {
    const cases: [number, number, number, number][] = [
      // t, df, noncentrality, cdf
      [1.979, 126, 2.8284, 0.19855704768320137],
      [2.0, 10, 1.5, 0.6591540724421909],
      [-1.0, 5, 0.5, 0.08244409105672337],
      [3.0, 30, -1.0, 0.9999011883614846],
      [0.5, 2, 3.0, 0.00648648688160516],
    ];
    for (const [t, df, delta, expected] of cases) {
      expect(Math.abs(noncentralTCdf(t, df, delta) - expected)).toBeLessThan(1e-12);
    }
    // Very large df loses a couple of digits; still far beyond what power needs.
    expect(Math.abs(noncentralTCdf(1.5, 100_000, 2.0) - 0.3085372086593543)).toBeLessThan(1e-10);
  });

  it('reduces to the central t for noncentrality 0', () => {
    for (const [t, df] of [
      [-2, 3],
      [0.4, 8],
      [2.5, 20],
    ] as const) {
      expect(noncentralTCdf(t, df, 0)).toBeCloseTo(studentTCdf(t, df), 12);
    }
  });
});
