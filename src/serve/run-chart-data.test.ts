import { describe, expect, it } from 'vitest';
import { type ChartPointInput, runChartData } from './run-chart-data.js';

const trials: ChartPointInput[] = [
  { index: 0, status: 'keep', metric: 3.0 },
  { index: 2, status: 'keep', metric: 2.8 },
  { index: 1, status: 'discard', metric: 3.1 },
  { index: 3, status: 'crash', metric: null },
  { index: 4, status: 'discard', metric: 9.0 },
  { index: 5, status: 'keep', metric: 2.7 },
  { index: 6, status: 'rejected', metric: null },
];

const none = { snapshots: [], sessions: [], lifecycle: [] };

describe('runChartData', () => {
  it('has one point per trial, by index, with the best kept metric so far as a step', () => {
    const data = runChartData({ metricName: 'val_bpb', direction: 'minimize', trials, ...none });
    expect(data.index).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(data.status).toEqual(['keep', 'discard', 'keep', 'crash', 'discard', 'keep', 'rejected']);
    expect(data.metric).toEqual([3.0, 3.1, 2.8, null, 9.0, 2.7, null]);
    expect(data.best).toEqual([3.0, 3.0, 2.8, 2.8, 2.8, 2.7, 2.7]);
    expect(data).not.toHaveProperty('underLoad');
  });

  it('keeps far-off trials out of the visible range and counts them, in either direction', () => {
    const low = runChartData({ metricName: 'loss', direction: 'minimize', trials, ...none });
    expect(low.range?.low).toBeLessThan(2.7);
    expect(low.range?.high).toBeGreaterThan(3.1);
    expect(low.range?.high).toBeLessThan(9.0);
    expect(low.offScale).toBe(1);
    const high = runChartData({
      metricName: 'accuracy',
      direction: 'maximize',
      trials: [
        { index: 0, status: 'keep', metric: 0.5 },
        { index: 1, status: 'keep', metric: 0.6 },
        { index: 2, status: 'discard', metric: 0.01 },
      ],
      ...none,
    });
    expect(high.best).toEqual([0.5, 0.6, 0.6]);
    expect(high.range?.low).toBeGreaterThan(0.01);
    expect(high.offScale).toBe(1);
    expect(runChartData({ metricName: 'm', direction: 'minimize', trials: [], ...none }).range).toBeNull();
  });

  it('marks Level 1.5 cycles, activations, retirements and sessions that activated nothing, in order', () => {
    const data = runChartData({
      metricName: 'val_bpb',
      direction: 'minimize',
      trials,
      snapshots: [
        { cycle: 1, afterTrial: 5, changes: ['froze LR: 4 moves, none kept'] },
        { cycle: 2, afterTrial: 10, changes: [] },
      ],
      sessions: [
        { afterTrial: 5, outcome: 'activated', mechanism: 'tabu' },
        { afterTrial: 10, outcome: 'no-selection', mechanism: null },
      ],
      lifecycle: [{ name: 'tabu', activatedAtTrial: 5, retiredAtTrial: 8, reason: 'inert' }],
    });
    expect(data.events).toEqual([
      { after: 5, kind: 'outer-cycle', label: 'Level 1.5 cycle 1: froze LR: 4 moves, none kept' },
      { after: 5, kind: 'activated', label: 'activated tabu' },
      { after: 8, kind: 'retired', label: 'retired tabu: inert' },
      { after: 10, kind: 'outer-cycle', label: 'Level 1.5 cycle 2: no change' },
      { after: 10, kind: 'meta-session', label: 'Level 2 session: no-selection' },
    ]);
  });

  it('carries the measured-under-load flag per point where the records have it', () => {
    const data = runChartData({
      metricName: 'val_bpb',
      direction: 'minimize',
      trials: [
        { index: 0, status: 'keep', metric: 3, underLoad: false },
        { index: 1, status: 'discard', metric: 3.2, underLoad: true },
        { index: 2, status: 'crash', metric: null, underLoad: null },
      ],
      ...none,
    });
    expect(data.underLoad).toEqual([false, true, null]);
  });
});
