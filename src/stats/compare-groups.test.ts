import { describe, expect, it } from 'vitest';
import { compareGroups } from './compare-groups.js';

describe('compareGroups', () => {
  it('bundles the tests on the paper-like 3-vs-3 data (scipy reference p = 0.1993)', () => {
    const groupC = [0.045, 0.012, 0.078];
    const groupA = [0.009, 0.0061, 0.0122];
    const comparison = compareGroups(groupC, groupA);
    expect(comparison.meanDifference).toBeCloseTo(0.045 - 0.0091, 12);
    expect(comparison.welch.p).toBeCloseTo(0.19930021368116801, 10);
    expect(comparison.permutation).toMatchObject({ p: 0.2, exact: true, permutations: 20 });
    expect(comparison.cohensD).toBeCloseTo(1.5319584183909225, 12);
    expect(comparison.hedgesG).toBeCloseTo(1.2223259698260935, 12);
    // |g| = 1.22 needs 12 repeats per group at α = 0.05 and power 0.8 (exact noncentral t).
    expect(comparison.repeatsNeeded).toBe(12);
  });

  it('stays defined when the t-test is not', () => {
    const comparison = compareGroups([1, 1, 1], [2, 2, 2]);
    expect(comparison.welch.status).toBe('zero-variance');
    expect(comparison.permutation.p).toBe(0.1);
    expect(comparison.repeatsNeeded).toBeNaN();
  });
});
