import { describe, expect, it } from 'vitest';
import { repeatsNeeded, twoSampleTPower } from './power.js';

describe('repeatsNeeded', () => {
  it("reproduces Cohen's well-known sample sizes (α = 0.05 two-sided, power 0.8)", () => {
    expect(repeatsNeeded(0.5)).toBe(64);
    expect(repeatsNeeded(0.8)).toBe(26);
    expect(repeatsNeeded(1.0)).toBe(17);
  });

  it('matches an exact noncentral-t search with scipy (scipy 1.17.1 stats.nct, pasted once)', () => {
    const cases: [number, number, number, number][] = [
      // d, alpha, power, n per group
      [0.2, 0.05, 0.8, 394],
      [0.05, 0.05, 0.8, 6281],
      [0.01, 0.05, 0.8, 156_979],
      [2.0, 0.05, 0.8, 6],
      [3.0, 0.05, 0.8, 4],
      [0.5, 0.01, 0.9, 121],
      [1.2, 0.05, 0.95, 20],
    ];
    for (const [d, alpha, power, expected] of cases) expect(repeatsNeeded(d, { alpha, power })).toBe(expected);
  });

  it('ignores the sign of d and returns Infinity for no effect', () => {
    expect(repeatsNeeded(-0.8)).toBe(26);
    expect(repeatsNeeded(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('uses the closed form for tiny effects', () => {
    // 2 (z_0.975 + z_0.8)² / 0.001² + z_0.975² / 4 = 15,697,760.43 (scipy norm.ppf) → 15,697,761.
    expect(repeatsNeeded(0.001)).toBe(15_697_761);
  });

  it('rejects a non-finite effect size', () => {
    expect(() => repeatsNeeded(Number.NaN)).toThrow(/repeatsNeeded: d NaN/);
  });
});

describe('twoSampleTPower', () => {
  it('matches scipy power values', () => {
    expect(twoSampleTPower(0.5, 64)).toBeCloseTo(0.8014595579222541, 10);
    expect(twoSampleTPower(0.5, 63)).toBeCloseTo(0.795168338123338, 10);
    expect(twoSampleTPower(1.0, 17)).toBeCloseTo(0.8070367151472198, 10);
  });
});
