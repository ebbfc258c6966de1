import { describe, expect, it } from 'vitest';
import { pngChunks, readPng } from '../../../test/helpers/read-png.js';
import { layoutConvergenceChart } from './chart-layout.js';
import { rasterizeConvergenceChart, renderConvergencePng } from './chart-png.js';

const options = {
  title: 'A vs C',
  metricName: 'val_bpb',
  direction: 'minimize' as const,
  width: 640,
  height: 400,
  series: [
    { label: 'A repeat 1', points: [1, 0.99, 0.99, 0.985, null, 0.98], weight: 'thin' as const, color: '#0072b2' },
    { label: 'A mean', points: [1, 0.995, 0.99, 0.985, 0.985, 0.98], weight: 'thick' as const, color: '#0072b2' },
    { label: 'C mean', points: [1, 0.97, 0.96, 0.95, 0.95, 0.94], weight: 'thick' as const, color: '#d55e00' },
  ],
};

describe('renderConvergencePng', () => {
  const file = renderConvergencePng(options);
  const image = readPng(file);
  const at = (x: number, y: number): number[] => {
    const offset = (Math.floor(y) * image.width + Math.floor(x)) * 3;
    return [...image.data.subarray(offset, offset + 3)];
  };

  it('is a valid PNG of the requested size', () => {
    expect(pngChunks(file).map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(image).toMatchObject({ width: 640, height: 400, channels: 3 });
  });

  it('colours known pixels on the thick lines and leaves the background white', () => {
    const layout = layoutConvergenceChart(options);
    const thick = layout.series.filter((series) => series.weight === 'thick');
    for (const [index, series] of thick.entries()) {
      const expected = index === 0 ? [0x00, 0x72, 0xb2] : [0xd5, 0x5e, 0x00];
      // Midpoint of the segment between trials 3 and 4 (a horizontal stretch of both means).
      const middle = { x: (series.points[3]!.x + series.points[4]!.x) / 2, y: series.points[3]!.y };
      expect(at(middle.x, middle.y)).toEqual(expected);
    }
    expect(at(layout.plot.left + 3, layout.plot.bottom - 3)).toEqual([255, 255, 255]);
    expect(at(layout.plot.left, (layout.plot.top + layout.plot.bottom) / 2)).toEqual([0x33, 0x33, 0x33]);
  });

  it('encodes exactly the rasterized pixels, deterministically', () => {
    expect([...image.data]).toEqual([...rasterizeConvergenceChart(options).pixels]);
    expect(renderConvergencePng(options).equals(file)).toBe(true);
  });
});
