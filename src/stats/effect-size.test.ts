import { describe, expect, it } from 'vitest';
import { cohensD, hedgesCorrection, hedgesG } from './effect-size.js';

// Reference values: numpy 2.4.6 + scipy.special.gammaln (scipy 1.17.1), pooled-sd d and exact-J g, pasted once.
describe('effect sizes', () => {
  it('match the reference on fixed data', () => {
    const paperA = [0.009, 0.0061, 0.0122];
    const paperC = [0.045, 0.012, 0.078];
    expect(cohensD(paperA, paperC)).toBeCloseTo(-1.5319584183909225, 12);
    expect(hedgesG(paperA, paperC)).toBeCloseTo(-1.2223259698260935, 12);
    const a = [19.1, 20.3, 18.7, 21.5, 19.9, 20.4];
    const b = [22.4, 21.8, 23.9, 20.7, 22.2];
    expect(cohensD(a, b)).toBeCloseTo(-2.067218774369284, 12);
    expect(hedgesG(a, b)).toBeCloseTo(-1.8891793337382619, 12);
  });

  it('use the exact Hedges correction, close to 1 - 3/(4 df - 1) for large df', () => {
    expect(hedgesCorrection(4)).toBeCloseTo(0.7978845608028654, 14);
    expect(hedgesCorrection(9)).toBeCloseTo(0.9138748917925523, 14);
    expect(hedgesCorrection(200)).toBeCloseTo(1 - 3 / 799, 5);
  });

  it('are NaN when undefined', () => {
    expect(cohensD([1, 1], [2, 2])).toBeNaN();
    expect(cohensD([1], [2])).toBeNaN();
    expect(hedgesG([1, 2], [3])).toBeNaN();
  });
});
