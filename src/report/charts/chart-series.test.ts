import { describe, expect, it } from 'vitest';
import { convergenceSeries } from './chart-series.js';

describe('convergenceSeries', () => {
  it('makes a thin running-best line per repeat and a thick mean per group', () => {
    const series = convergenceSeries(
      [
        {
          label: 'A',
          runs: [
            [1.0, 0.98, null, 0.99, 0.95],
            [null, 1.0, 0.97, 0.97],
          ],
        },
        { label: 'C', runs: [[1.0, 0.9]], color: '#123456' },
      ],
      'minimize',
    );
    expect(series.map((entry) => [entry.label, entry.weight])).toEqual([
      ['A repeat 1', 'thin'],
      ['A repeat 2', 'thin'],
      ['C repeat 1', 'thin'],
      ['A mean (2 repeats)', 'thick'],
      ['C mean (1 repeat)', 'thick'],
    ]);
    expect(series[0]!.points).toEqual([1.0, 0.98, 0.98, 0.98, 0.95]);
    expect(series[1]!.points).toEqual([null, 1.0, 0.97, 0.97]);
    const mean = series[3]!.points;
    expect(mean[0]).toBe(1.0);
    expect(mean[1]).toBeCloseTo(0.99, 15);
    expect(mean[2]).toBeCloseTo(0.975, 15);
    expect(mean[4]).toBe(0.95);
    expect(series[0]!.color).toBe(series[3]!.color);
    expect(series[4]!.color).toBe('#123456');
  });
});
