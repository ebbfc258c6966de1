import { describe, expect, it } from 'vitest';
import { describeSample } from './describe.js';

describe('describeSample', () => {
  it('matches numpy on fixed data (np.mean, np.std(ddof=1), np.median)', () => {
    // Reference: numpy 2.4.6 on [0.0090, 0.0061, 0.0122, 0.0205].
    const result = describeSample([0.009, 0.0061, 0.0122, 0.0205]);
    expect(result.n).toBe(4);
    expect(result.mean).toBeCloseTo(0.01195, 15);
    expect(result.sd).toBeCloseTo(0.0062206644875500774, 15);
    expect(result.median).toBeCloseTo(0.0106, 15);
    expect(result.min).toBe(0.0061);
    expect(result.max).toBe(0.0205);
  });

  it('takes the middle value for odd n and does not reorder the input', () => {
    const values = [5, 1, 3];
    expect(describeSample(values).median).toBe(3);
    expect(values).toEqual([5, 1, 3]);
  });

  it('reports sd NaN for one value and everything NaN for none', () => {
    const one = describeSample([2]);
    expect(one).toMatchObject({ n: 1, mean: 2, median: 2, min: 2, max: 2 });
    expect(one.sd).toBeNaN();
    const none = describeSample([]);
    expect(none.n).toBe(0);
    expect(none.mean).toBeNaN();
  });

  it('keeps precision for values with a large common offset', () => {
    const result = describeSample([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(result.sd).toBeCloseTo(Math.sqrt(30), 9);
  });

  it('throws on a NaN so crashed runs are never averaged in', () => {
    expect(() => describeSample([1, Number.NaN])).toThrow(/not a finite number/);
  });
});
