import { describe, expect, it } from 'vitest';
import { checkChartSize, cutText, type MarkerShape, markerOutline, normalizeColor } from './chart-scene.js';

describe('chart scene helpers', () => {
  it('draws every marker inside its size, centred', () => {
    const shapes: MarkerShape[] = ['circle', 'ring', 'square', 'cross', 'triangle-up', 'triangle-down'];
    for (const shape of shapes) {
      const outline = markerOutline(shape, 100, 50, 10);
      const xs = outline.map((point) => point.x);
      const ys = outline.map((point) => point.y);
      expect(Math.min(...xs), shape).toBeCloseTo(95, 9);
      expect(Math.max(...xs), shape).toBeCloseTo(105, 9);
      expect(Math.min(...ys), shape).toBeCloseTo(45, 9);
      expect(Math.max(...ys), shape).toBeCloseTo(55, 9);
    }
    expect(markerOutline('triangle-up', 0, 0, 2)[0]).toEqual({ x: 0, y: -1 });
    expect(markerOutline('triangle-down', 0, 0, 2)[2]).toEqual({ x: 0, y: 1 });
  });

  it('refuses colours and sizes the renderers cannot draw safely', () => {
    expect(normalizeColor('#AbC')).toBe('#aabbcc');
    expect(() => normalizeColor('red" onload="x')).toThrow(/colour/);
    expect(() => checkChartSize(10, 480)).toThrow(/size/);
    expect(() => checkChartSize(800.5, 480)).toThrow(/size/);
    expect(() => checkChartSize(800, 480)).not.toThrow();
  });

  it('cuts long text with an ASCII ellipsis (the PNG font has no other)', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('a rather long label', 10)).toBe('a rathe...');
  });
});
