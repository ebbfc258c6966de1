import { describe, expect, it } from 'vitest';
import { renderConvergenceSvg } from './chart-svg.js';
import { runConvergenceChart } from './run-convergence-chart.js';

const trials = [
  { index: 0, status: 'keep', metric: 1.1 },
  { index: 1, status: 'discard', metric: 1.12 },
  { index: 2, status: 'keep', metric: 1.09 },
  { index: 3, status: 'crash', metric: null },
  { index: 4, status: 'discard', metric: 1.08 },
  { index: 5, status: 'discard', metric: 5 },
  { index: 6, status: 'keep', metric: 1.07 },
];

describe('runConvergenceChart', () => {
  const chart = runConvergenceChart({ title: 't', metricName: 'val_bpb', direction: 'minimize', trials });

  it('follows kept trials only, one value per trial index; crashes and discards carry the best over', () => {
    // Trial 4's 1.08 was discarded (e.g. within the noise threshold): the best kept so far stays 1.09.
    expect(chart.bestSoFar).toEqual([1.1, 1.1, 1.09, 1.09, 1.09, 1.09, 1.07]);
  });

  it('draws every measured metric thin, leaving far-off outliers out and counting them', () => {
    const thin = chart.options.series.find((series) => series.weight === 'thin')!;
    expect(thin.points).toEqual([1.1, 1.12, 1.09, null, 1.08, null, 1.07]);
    expect(chart.omittedRaw).toBe(1);
    expect(chart.rawLimit).toBeGreaterThan(1.12);
    expect(chart.rawLimit).toBeLessThan(5);
  });

  it('renders a thick polyline with exactly one point per trial', () => {
    const svg = renderConvergenceSvg(chart.options);
    const thick = /<polyline class="thick" points="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(thick.split(' ')).toHaveLength(trials.length);
  });

  it('mirrors the cut-off for metrics where higher is better', () => {
    const higher = runConvergenceChart({
      title: 't',
      metricName: 'accuracy',
      direction: 'maximize',
      trials: [
        { index: 0, status: 'keep', metric: 0.5 },
        { index: 1, status: 'discard', metric: 0.01 },
        { index: 2, status: 'keep', metric: 0.6 },
      ],
    });
    expect(higher.bestSoFar).toEqual([0.5, 0.5, 0.6]);
    expect(higher.omittedRaw).toBe(1);
  });

  it('starts the best line at the first kept metric when the baseline crashed', () => {
    const crashed = runConvergenceChart({
      title: 't',
      metricName: 'val_bpb',
      direction: 'minimize',
      trials: [
        { index: 0, status: 'crash', metric: null },
        { index: 1, status: 'keep', metric: 2 },
      ],
    });
    expect(crashed.bestSoFar).toEqual([null, 2]);
    expect(crashed.omittedRaw).toBe(0);
    expect(crashed.rawLimit).toBeNull();
  });
});
