import { describe, expect, it } from 'vitest';
import { metaTrigger } from './meta-schedule.js';

const settings = { outerEvery: 5, metaEvery: 2, metaPlateau: 7 };

describe('metaTrigger', () => {
  it('runs after every M-th outer cycle (every M x K trials), once per boundary', () => {
    const due = Array.from({ length: 40 }, (_, lastTrial) => lastTrial).filter(
      (lastTrial) => metaTrigger({ lastTrial, incumbentIndex: lastTrial, done: new Set() }, settings) === 'cadence',
    );
    expect(due).toEqual([10, 20, 30]);
    expect(metaTrigger({ lastTrial: 10, incumbentIndex: 10, done: new Set([10]) }, settings)).toBeUndefined();
  });

  it('runs early on a plateau, counted from the last new best and from the last session', () => {
    expect(metaTrigger({ lastTrial: 7, incumbentIndex: 0, done: new Set() }, settings)).toBe('plateau');
    expect(metaTrigger({ lastTrial: 7, incumbentIndex: 1, done: new Set() }, settings)).toBeUndefined();
    expect(metaTrigger({ lastTrial: 13, incumbentIndex: 2, done: new Set([10]) }, settings)).toBeUndefined();
    expect(metaTrigger({ lastTrial: 17, incumbentIndex: 2, done: new Set([10]) }, settings)).toBe('plateau');
  });
});
