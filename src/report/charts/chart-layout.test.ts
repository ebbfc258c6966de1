import { describe, expect, it } from 'vitest';
import { layoutConvergenceChart, niceTicks, normalizeColor } from './chart-layout.js';

describe('niceTicks', () => {
  it('covers the data with 1-2-5 steps', () => {
    expect(niceTicks(0.9331, 0.9979, 5)).toEqual({ values: [0.92, 0.94, 0.96, 0.98, 1], decimals: 2 });
    expect(niceTicks(0, 30, 7)).toEqual({ values: [0, 5, 10, 15, 20, 25, 30], decimals: 0 });
    expect(niceTicks(-3.2, 7.9, 6).values).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('avoids floating-point noise in tick values', () => {
    const { values } = niceTicks(0.1, 0.7, 7);
    expect(values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });
});

describe('layoutConvergenceChart', () => {
  const base = { title: 'demo', metricName: 'val_bpb', direction: 'minimize' as const };

  it('spans the trials on x and the values on y, thin series drawn first', () => {
    const layout = layoutConvergenceChart({
      ...base,
      series: [
        { label: 'mean', points: [1, 0.9, 0.8], weight: 'thick' },
        { label: 'repeat', points: [1, 0.95, null, 0.7], weight: 'thin' },
      ],
    });
    expect(layout.series.map((series) => series.label)).toEqual(['repeat', 'mean']);
    expect(layout.series[0]!.points).toHaveLength(3);
    expect(layout.series[0]!.points[0]!.x).toBe(layout.plot.left);
    expect(layout.series[0]!.points[2]!.x).toBe(layout.plot.right);
    expect(layout.yTicks[0]!.value).toBeLessThanOrEqual(0.7);
    expect(layout.yTicks.at(-1)!.value).toBeGreaterThanOrEqual(1);
    expect(layout.legend.map((entry) => entry.label)).toEqual(['mean']);
    expect(layout.yTitle).toBe('val_bpb (lower is better)');
    expect(layout.empty).toBe(false);
  });

  it('handles no data and constant data without dividing by zero', () => {
    const empty = layoutConvergenceChart({ ...base, series: [] });
    expect(empty.empty).toBe(true);
    expect(empty.yTicks.length).toBeGreaterThan(1);
    const flat = layoutConvergenceChart({ ...base, series: [{ label: 'x', points: [2, 2], weight: 'thin' }] });
    for (const point of flat.series[0]!.points) expect(Number.isFinite(point.y)).toBe(true);
  });

  it('rejects bad colours and sizes', () => {
    expect(normalizeColor('#AbC')).toBe('#aabbcc');
    expect(() => normalizeColor('red" onload="x')).toThrow(/colour/);
    expect(() => layoutConvergenceChart({ ...base, series: [], width: 10 })).toThrow(/size/);
  });
});
