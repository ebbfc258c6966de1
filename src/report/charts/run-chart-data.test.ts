import { describe, expect, it } from 'vitest';
import { runChartData } from './run-chart-data.js';

const trials = [
  { index: 0, status: 'keep', metric: 1.1 },
  { index: 1, status: 'discard', metric: 1.12 },
  { index: 2, status: 'keep', metric: 1.09 },
  { index: 3, status: 'crash', metric: null },
  { index: 4, status: 'discard', metric: 1.08, underLoad: true },
  { index: 5, status: 'discard', metric: 5 },
  { index: 6, status: 'keep', metric: 1.07 },
  { index: 7, status: 'rejected', metric: null },
];

describe('runChartData', () => {
  const data = runChartData({ metricName: 'val_bpb', direction: 'minimize', trials, plannedTrials: 10 });

  it('follows kept trials only for the best so far; crashes and discards carry it over', () => {
    // Trial 4's 1.08 was discarded (e.g. within the noise threshold): the best kept so far stays 1.09.
    expect(data.bestSoFar).toEqual([1.1, 1.1, 1.09, 1.09, 1.09, 1.09, 1.07, 1.07]);
  });

  it('places every trial: on the scale, off it at the edge, or in the no-metric lane; nothing is interpolated', () => {
    expect(data.points.map((point) => [point.trial, point.placement])).toEqual([
      [0, 'scale'],
      [1, 'scale'],
      [2, 'scale'],
      [3, 'no-metric'],
      [4, 'scale'],
      [5, 'above'],
      [6, 'scale'],
      [7, 'no-metric'],
    ]);
    expect(data.points[4]?.underLoad).toBe(true);
    expect(data.points[0]?.underLoad).toBe(false);
    expect(data.offScaleBeyond).toBeGreaterThan(1.12);
    expect(data.offScaleBeyond).toBeLessThan(5);
    expect(data.range).toEqual({ low: 1.07, high: 1.12 });
  });

  it('spans the planned trials, so what was not run yet shows as a gap', () => {
    expect(data.recorded).toBe(8);
    expect(data.trialSpan).toBe(11);
  });

  it('mirrors the off-scale side for metrics where higher is better', () => {
    const higher = runChartData({
      metricName: 'accuracy',
      direction: 'maximize',
      trials: [
        { index: 0, status: 'keep', metric: 0.5 },
        { index: 1, status: 'discard', metric: 0.01 },
        { index: 2, status: 'keep', metric: 0.6 },
      ],
    });
    expect(higher.bestSoFar).toEqual([0.5, 0.5, 0.6]);
    expect(higher.points.map((point) => point.placement)).toEqual(['scale', 'below', 'scale']);
  });

  it('starts the best line at the first kept metric when the baseline crashed; without one, every value is on scale', () => {
    const crashed = runChartData({
      metricName: 'val_bpb',
      direction: 'minimize',
      trials: [
        { index: 0, status: 'crash', metric: null },
        { index: 1, status: 'discard', metric: 9 },
        { index: 2, status: 'keep', metric: 2 },
      ],
    });
    expect(crashed.bestSoFar).toEqual([null, null, 2]);
    const unkept = runChartData({
      metricName: 'm',
      direction: 'minimize',
      trials: [
        { index: 0, status: 'crash', metric: null },
        { index: 1, status: 'discard', metric: 9 },
      ],
    });
    expect(unkept.points.map((point) => point.placement)).toEqual(['no-metric', 'scale']);
    expect(unkept.range).toEqual({ low: 9, high: 9 });
    const nothing = runChartData({ metricName: 'm', direction: 'minimize', trials: [] });
    expect([nothing.range, nothing.recorded, nothing.trialSpan, nothing.points]).toEqual([null, 0, 1, []]);
  });

  it('keeps the events in trial order', () => {
    const events = runChartData({
      metricName: 'm',
      direction: 'minimize',
      trials,
      events: [
        { afterTrial: 6, kind: 'retired', label: 'tabu' },
        { afterTrial: 5, kind: 'level-1.5', label: 'cycle 1' },
        { afterTrial: 5, kind: 'activated', label: 'tabu' },
      ],
    }).events;
    expect(events.map((event) => [event.afterTrial, event.kind])).toEqual([
      [5, 'level-1.5'],
      [5, 'activated'],
      [6, 'retired'],
    ]);
  });
});
