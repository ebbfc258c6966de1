import { describe, expect, it } from 'vitest';
import { studyChartData } from './study-chart-data.js';

describe('studyChartData', () => {
  const data = studyChartData('improvement in val_bpb', [
    {
      label: 'A (1)',
      runs: [
        [0, 0.02, null, 0.01, 0.05],
        [null, 0, 0.03, 0.03],
      ],
    },
    { label: 'B (1+1.5)', runs: [[0, 0.1]], color: '#123456' },
    {
      label: 'D (1+2)',
      runs: [
        [0, 0.02, 0.02, 0.02, 0.05],
        [null, 0, 0.03, 0.03],
      ],
    },
  ]);

  it("takes each repeat's running best and, at each trial, the mean of the repeats that have a value", () => {
    const [a] = data.groups;
    expect(a?.repeats).toEqual([
      [0, 0.02, 0.02, 0.02, 0.05],
      [null, 0, 0.03, 0.03],
    ]);
    expect(a?.mean[0]).toBe(0);
    expect(a?.mean[1]).toBeCloseTo(0.01, 15);
    expect(a?.mean[2]).toBeCloseTo(0.025, 15);
    expect(a?.mean[4]).toBe(0.05);
    expect(data.trialSpan).toBe(5);
    expect(data.range).toEqual({ low: 0, high: 0.1 });
  });

  it('names the earlier group whose repeats have exactly the same curves, so a view can say so', () => {
    expect(data.groups.map((group) => group.sameAs)).toEqual([null, null, 'A (1)']);
    expect(data.groups.map((group) => group.color)).toEqual(['#0072b2', '#123456', '#009e73']);
  });

  it('has no range and no twins without repeats', () => {
    const empty = studyChartData('x', [
      { label: 'A', runs: [] },
      { label: 'B', runs: [] },
    ]);
    expect(empty.range).toBeNull();
    expect(empty.groups.map((group) => group.sameAs)).toEqual([null, null]);
  });
});
