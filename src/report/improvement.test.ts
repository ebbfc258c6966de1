import { describe, expect, it } from 'vitest';
import { improvement, isBetter } from '../core/metric-direction.js';
import { runningBest } from './improvement.js';

describe('improvement', () => {
  it('is positive when a minimized metric drops', () => {
    expect(improvement(1.0, 0.955, 'minimize')).toBeCloseTo(0.045, 12);
    expect(improvement(1.0, 1.01, 'minimize')).toBeCloseTo(-0.01, 12);
  });

  it('is positive when a maximized metric rises', () => {
    expect(improvement(0.7, 0.75, 'maximize')).toBeCloseTo(0.05, 12);
    expect(improvement(0.7, 0.69, 'maximize')).toBeCloseTo(-0.01, 12);
  });

  it('refuses a missing baseline instead of returning NaN', () => {
    expect(() => improvement(Number.NaN, 1, 'minimize')).toThrow(/baseline/);
  });

  it('isBetter is strict', () => {
    expect(isBetter(1, 1, 'minimize')).toBe(false);
    expect(isBetter(0.9, 1, 'minimize')).toBe(true);
    expect(isBetter(1.1, 1, 'maximize')).toBe(true);
  });
});

describe('runningBest', () => {
  it('tracks the minimum so far', () => {
    expect(runningBest([3, 4, 2, 2.5, 1], 'minimize')).toEqual([3, 3, 2, 2, 1]);
  });

  it('tracks the maximum so far', () => {
    expect(runningBest([3, 4, 2, 5], 'maximize')).toEqual([3, 4, 4, 5]);
  });

  it('carries the best over crashed trials and leaves leading crashes null', () => {
    expect(runningBest([null, null, 5, null, 4, Number.NaN, 6], 'minimize')).toEqual([null, null, 5, 5, 4, 4, 4]);
  });

  it('returns an empty list for no trials', () => {
    expect(runningBest([], 'maximize')).toEqual([]);
  });
});
