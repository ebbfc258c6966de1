import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi, quantileSorted } from './bootstrap.js';

const data = [0.012, 0.019, 0.031, 0.008, 0.044, 0.027, 0.015, 0.022, 0.036, 0.011];

describe('bootstrapMeanCi', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const first = bootstrapMeanCi(data, { seed: 7 });
    expect(bootstrapMeanCi(data, { seed: 7 })).toEqual(first);
    expect(bootstrapMeanCi(data, { seed: 8 })).not.toEqual(first);
  });

  it('agrees with scipy.stats.bootstrap (percentile) on fixed data', () => {
    // Reference: scipy 1.17.1, stats.bootstrap((data,), np.mean, method='percentile',
    // n_resamples=200000, random_state=1) → (0.0159, 0.0297). Different PRNGs: compare within Monte Carlo noise.
    const interval = bootstrapMeanCi(data, { seed: 1, resamples: 20_000 });
    expect(interval.low).toBeGreaterThan(0.0159 - 0.0006);
    expect(interval.low).toBeLessThan(0.0159 + 0.0006);
    expect(interval.high).toBeGreaterThan(0.0297 - 0.0006);
    expect(interval.high).toBeLessThan(0.0297 + 0.0006);
  });

  it('narrows as the level drops and always brackets the mean here', () => {
    const wide = bootstrapMeanCi(data, { seed: 3, level: 0.99 });
    const narrow = bootstrapMeanCi(data, { seed: 3, level: 0.5 });
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
    expect(narrow.low).toBeLessThan(0.0225);
    expect(narrow.high).toBeGreaterThan(0.0225);
  });

  it('degenerates honestly for n = 1 and n = 0', () => {
    expect(bootstrapMeanCi([4.2], { seed: 1 })).toEqual({ low: 4.2, high: 4.2 });
    const empty = bootstrapMeanCi([], { seed: 1 });
    expect(empty.low).toBeNaN();
    expect(empty.high).toBeNaN();
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => bootstrapMeanCi(data, { seed: 1, level: 1 })).toThrow(/level/);
  });
});

describe('quantileSorted', () => {
  it('interpolates like numpy.quantile', () => {
    // np.quantile([1, 2, 3, 4], [0.25, 0.5, 0.9]) → [1.75, 2.5, 3.7]
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 15);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 15);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 15);
  });
});
