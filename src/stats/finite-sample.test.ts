import { describe, expect, it } from 'vitest';
import { assertFiniteSample, mean, sampleVariance } from './finite-sample.js';

describe('finite-sample helpers', () => {
  it('compute the mean and the n-1 variance', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
    expect(mean([])).toBeNaN();
    expect(sampleVariance([7])).toBeNaN();
  });

  it('keep precision where the naive formulas lose it', () => {
    // A large common offset: the one-pass E[x²] - E[x]² formula loses every digit of the variance here.
    const values = [1e8 + 0.1, 1e8 + 0.2, 1e8 + 0.3];
    expect(mean(values)).toBeCloseTo(1e8 + 0.2, 6);
    expect(sampleVariance(values)).toBeCloseTo(0.01, 8);
  });

  it('reject NaN and Infinity, naming the position', () => {
    expect(() => assertFiniteSample([1, Number.POSITIVE_INFINITY], 'group A')).toThrow(/group A: value 1 is Infinity/);
    expect(() => assertFiniteSample([0, -1.5], 'group A')).not.toThrow();
  });
});
