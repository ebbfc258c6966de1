import { describe, expect, it } from 'vitest';
import { welchTest } from './welch.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

// Reference values: scipy 1.17.1, scipy.stats.ttest_ind(a, b, equal_var=False), computed once and pasted here.
const references = [
  {
    name: 'paper-like improvements, 3 repeats each (Level 1 vs Level 1+1.5+2)',
    a: [0.009, 0.0061, 0.0122],
    b: [0.045, 0.012, 0.078],
    t: -1.8762582161094525,
    df: 2.0341940114024863,
    p: 0.19930021368116801,
  },
  {
    name: 'unequal sizes',
    a: [19.1, 20.3, 18.7, 21.5, 19.9, 20.4],
    b: [22.4, 21.8, 23.9, 20.7, 22.2],
    t: -3.3649864846290245,
    df: 8.048600116035882,
    p: 0.009772113560431256,
  },
  {
    name: 'well separated',
    a: [1, 2, 3, 4, 5],
    b: [10, 11, 12, 13, 14, 15, 16],
    t: -9.258200997725513,
    df: 9.966101694915256,
    p: 3.2863154838759673e-6,
  },
  { name: 'one constant group, equal means', a: [3, 3, 3], b: [1, 2, 4, 5], t: 0, df: 3, p: 1 },
];

describe('welchTest', () => {
  for (const reference of references) {
    it(`matches scipy on fixed data: ${reference.name}`, () => {
      const result = welchTest(reference.a, reference.b);
      expect(result.status).toBe('ok');
      expect(Math.abs(result.t - reference.t)).toBeLessThan(1e-12 * Math.max(1, Math.abs(reference.t)));
      expect(relativeError(result.df, reference.df)).toBeLessThan(1e-12);
      expect(relativeError(result.p, reference.p)).toBeLessThan(1e-10);
    });
  }

  it('is antisymmetric in its groups', () => {
    const forward = welchTest([1, 2, 4], [3, 5, 9, 10]);
    const backward = welchTest([3, 5, 9, 10], [1, 2, 4]);
    expect(backward.t).toBeCloseTo(-forward.t, 14);
    expect(backward.p).toBeCloseTo(forward.p, 14);
    expect(forward.meanDifference).toBeCloseTo(7 / 3 - 27 / 4, 14);
    expect(forward.standardError).toBeCloseTo(Math.sqrt(7 / 3 / 3 + 32.75 / 3 / 4), 12);
  });

  it('flags groups with fewer than two values', () => {
    const result = welchTest([1], [2, 3, 4]);
    expect(result.status).toBe('too-few-values');
    expect(result.p).toBeNaN();
    expect(result.meanDifference).toBe(-2);
  });

  it('flags two constant groups instead of inventing a p-value', () => {
    const result = welchTest([1, 1, 1], [2, 2]);
    expect(result.status).toBe('zero-variance');
    expect(result.p).toBeNaN();
    expect(result.meanDifference).toBe(-1);
    expect(result.standardError).toBe(0);
  });
});
