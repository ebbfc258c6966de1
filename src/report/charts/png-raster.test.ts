import { describe, expect, it } from 'vitest';
import { createRaster, fillPolygon, fillRect, parseColor, type Raster, strokePolyline } from './png-raster.js';

function pixel(raster: Raster, x: number, y: number): number[] {
  const offset = (y * raster.width + x) * 3;
  return [...raster.pixels.subarray(offset, offset + 3)];
}

describe('png raster', () => {
  it('parses colours', () => {
    expect(parseColor('#0072b2')).toEqual([0, 114, 178]);
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
  });

  it('fills rectangles, clipped to the raster', () => {
    const raster = createRaster(4, 4, '#ffffff');
    fillRect(raster, 2, 2, 10, 10, [0, 0, 0]);
    expect(pixel(raster, 3, 3)).toEqual([0, 0, 0]);
    expect(pixel(raster, 1, 1)).toEqual([255, 255, 255]);
  });

  it('strokes a 1-pixel horizontal line on exactly one row', () => {
    const raster = createRaster(20, 10, '#ffffff');
    strokePolyline(
      raster,
      [
        { x: 2, y: 5.5 },
        { x: 17, y: 5.5 },
      ],
      [255, 0, 0],
      1,
    );
    expect(pixel(raster, 10, 5)).toEqual([255, 0, 0]);
    expect(pixel(raster, 10, 4)).toEqual([255, 255, 255]);
    expect(pixel(raster, 10, 6)).toEqual([255, 255, 255]);
  });

  it('colours the centre of a thick diagonal line fully and its surroundings not at all', () => {
    const raster = createRaster(40, 40, '#ffffff');
    strokePolyline(
      raster,
      [
        { x: 5, y: 5 },
        { x: 35, y: 35 },
      ],
      [0, 0, 255],
      2.5,
    );
    expect(pixel(raster, 19, 19)).toEqual([0, 0, 255]);
    expect(pixel(raster, 25, 15)).toEqual([255, 255, 255]);
  });

  it('does not darken the joints of a translucent line', () => {
    const raster = createRaster(30, 30, '#ffffff');
    strokePolyline(
      raster,
      [
        { x: 5, y: 15.5 },
        { x: 15.5, y: 15.5 },
        { x: 15.5, y: 5 },
      ],
      [0, 0, 0],
      3,
      0.5,
    );
    expect(pixel(raster, 15, 15)).toEqual(pixel(raster, 10, 15));
    expect(pixel(raster, 10, 15)).toEqual([128, 128, 128]);
  });

  it('fills a polygon: whole pixels inside, a share of the colour where an edge cuts a pixel, nothing outside', () => {
    const raster = createRaster(20, 20, '#ffffff');
    const square = [
      { x: 4, y: 4 },
      { x: 10.5, y: 4 },
      { x: 10.5, y: 10 },
      { x: 4, y: 10 },
    ];
    fillPolygon(raster, square, [0, 0, 0]);
    expect(pixel(raster, 6, 6)).toEqual([0, 0, 0]);
    expect(pixel(raster, 10, 6)).toEqual([128, 128, 128]);
    expect(pixel(raster, 11, 6)).toEqual([255, 255, 255]);
    expect(pixel(raster, 6, 10)).toEqual([255, 255, 255]);
  });
});
