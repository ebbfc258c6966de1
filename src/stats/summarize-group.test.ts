import { describe, expect, it } from 'vitest';
import { summarizeGroup } from './summarize-group.js';

describe('summarizeGroup', () => {
  it('describes the repeats, brackets the mean and names the best repeat', () => {
    const summary = summarizeGroup([0.009, 0.0061, 0.0122, 0.0205], { seed: 1 });
    expect(summary.n).toBe(4);
    expect(summary.mean).toBeCloseTo(0.01195, 15);
    expect(summary.best).toEqual({ repeat: 3, improvement: 0.0205 });
    expect(summary.ci.level).toBe(0.95);
    expect(summary.ci.low).toBeLessThan(summary.mean);
    expect(summary.ci.high).toBeGreaterThan(summary.mean);
    expect(summary.ci.low).toBeGreaterThanOrEqual(summary.min);
    expect(summary.ci.high).toBeLessThanOrEqual(summary.max);
  });

  it('keeps the first repeat on ties and reports no best for an empty group', () => {
    expect(summarizeGroup([-1, 2, 2], { seed: 1 }).best).toEqual({ repeat: 1, improvement: 2 });
    expect(summarizeGroup([], { seed: 1 }).best).toBeNull();
  });
});
