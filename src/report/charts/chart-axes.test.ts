import { describe, expect, it } from 'vitest';
import { niceTicks, plotFrame, stepPoints, trialTicks, valueAxis } from './chart-axes.js';

describe('niceTicks', () => {
  it('covers the data with 1-2-5 steps', () => {
    expect(niceTicks(0.9331, 0.9979, 5)).toEqual({ values: [0.92, 0.94, 0.96, 0.98, 1], decimals: 2 });
    expect(niceTicks(0, 30, 7)).toEqual({ values: [0, 5, 10, 15, 20, 25, 30], decimals: 0 });
    expect(niceTicks(-3.2, 7.9, 6).values).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('avoids floating-point noise in tick values', () => {
    expect(niceTicks(0.1, 0.7, 7).values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });
});

describe('valueAxis and trialTicks', () => {
  it('widens a flat range instead of dividing by zero', () => {
    const flat = valueAxis(2, 2, 5);
    expect(flat.min).toBeLessThan(2);
    expect(flat.max).toBeGreaterThan(2);
    expect(valueAxis(0, 0, 5).ticks.length).toBeGreaterThan(1);
  });

  it('ticks whole trials only', () => {
    expect(trialTicks(3, 600)).toEqual([0, 1, 2, 3]);
    expect(trialTicks(30, 400)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(trialTicks(0, 400)).toEqual([0, 1]);
  });
});

describe('stepPoints', () => {
  const x = (trial: number): number => trial * 10;
  const y = (value: number): number => value;

  it('draws a running best as horizontal runs and vertical steps, from its first value to the last trial', () => {
    expect(stepPoints([null, 5, 5, 3, 3], x, y)).toEqual([
      { x: 10, y: 5 },
      { x: 30, y: 5 },
      { x: 30, y: 3 },
      { x: 40, y: 3 },
    ]);
    expect(stepPoints([null, null], x, y)).toEqual([]);
  });
});

describe('plotFrame', () => {
  it('labels the ticks of both axes, and can leave the labels off', () => {
    const box = { left: 50, top: 10, right: 250, bottom: 110 };
    const axis = valueAxis(0, 1, 3);
    const labelled = plotFrame(box, axis, { last: 4, ticks: [0, 2, 4] });
    const texts = labelled.flatMap((shape) => (shape.kind === 'text' ? [shape.text] : []));
    expect(texts).toEqual(['0', '2', '4', ...axis.ticks.map((tick) => tick.label)]);
    const bare = plotFrame(box, axis, { last: 4, ticks: [0, 2, 4] }, { labels: { x: false, y: false } });
    expect(bare.some((shape) => shape.kind === 'text')).toBe(false);
  });
});
