import { describe, expect, it } from 'vitest';
import { binomialUpTo, permutationTest } from './permutation.js';

// Exact references: all C(n_a + n_b, n_a) splits counted in Python with fractions.Fraction
// (exact rational arithmetic), counting |mean difference| ≥ |observed|; computed once and pasted.
const references = [
  { name: 'paper-like, 3 vs 3', a: [0.009, 0.0061, 0.0122], b: [0.045, 0.012, 0.078], count: 4, splits: 20 },
  {
    name: 'unequal sizes, 6 vs 5',
    a: [19.1, 20.3, 18.7, 21.5, 19.9, 20.4],
    b: [22.4, 21.8, 23.9, 20.7, 22.2],
    count: 5,
    splits: 462,
  },
  { name: 'well separated, 5 vs 7', a: [1, 2, 3, 4, 5], b: [10, 11, 12, 13, 14, 15, 16], count: 1, splits: 792 },
  { name: 'ties, 5 vs 6', a: [1, 1, 2, 2, 3], b: [2, 3, 3, 4, 4, 5], count: 13, splits: 462 },
  { name: 'equal means', a: [3, 3, 3], b: [1, 2, 4, 5], count: 35, splits: 35 },
];

describe('permutationTest', () => {
  it('gives the hand-counted p for a = [1, 2], b = [3, 4]', () => {
    // The 6 splits have mean differences -2, -1, 0, 0, 1, 2: two reach |−2|, so p = 2/6.
    const result = permutationTest([1, 2], [3, 4]);
    expect(result).toEqual({ p: 1 / 3, exact: true, observed: -2, permutations: 6 });
  });

  for (const reference of references) {
    it(`matches exact rational enumeration: ${reference.name}`, () => {
      const result = permutationTest(reference.a, reference.b);
      expect(result.exact).toBe(true);
      expect(result.permutations).toBe(reference.splits);
      expect(result.p).toBe(reference.count / reference.splits);
    });
  }

  it('Monte Carlo agrees with exact enumeration on the same data', () => {
    const a = [19.1, 20.3, 18.7, 21.5, 19.9, 20.4, 20.9, 19.5];
    const b = [22.4, 21.8, 23.9, 20.7, 22.2, 19.8, 21.0];
    const exact = permutationTest(a, b);
    const sampled = permutationTest(a, b, { exactUpTo: 0, resamples: 40_000, seed: 11 });
    expect(exact.exact).toBe(true);
    expect(exact.permutations).toBe(6435);
    expect(sampled.exact).toBe(false);
    // Binomial standard error at p ≈ 0.005 with 40,000 draws is ≈ 0.00035; allow 4 of them.
    expect(Math.abs(sampled.p - exact.p)).toBeLessThan(0.0015);
    expect(exact.p).toBeGreaterThan(0);
  });

  it('Monte Carlo is seeded, never returns 0, and switches on above exactUpTo', () => {
    const a = Array.from({ length: 12 }, (_, index) => index);
    const b = Array.from({ length: 12 }, (_, index) => index + 30);
    const first = permutationTest(a, b, { seed: 5, resamples: 999 });
    expect(first.exact).toBe(false);
    expect(first.p).toBe(1 / 1000);
    expect(permutationTest(a, b, { seed: 5, resamples: 999 })).toEqual(first);
  });

  it('returns NaN for an empty group', () => {
    expect(permutationTest([], [1, 2]).p).toBeNaN();
  });
});

describe('binomialUpTo', () => {
  it('counts exactly and stops past the limit', () => {
    expect(binomialUpTo(4, 2, 100)).toBe(6);
    expect(binomialUpTo(24, 12, 1e9)).toBe(2_704_156);
    expect(binomialUpTo(24, 12, 20_000)).toBe(Number.POSITIVE_INFINITY);
  });
});
