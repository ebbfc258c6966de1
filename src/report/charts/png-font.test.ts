import { describe, expect, it } from 'vitest';
import { drawText, textWidth } from './png-font.js';
import { createRaster, type Raster } from './png-raster.js';

function inkPixels(raster: Raster): [number, number][] {
  const ink: [number, number][] = [];
  for (let y = 0; y < raster.height; y += 1) {
    for (let x = 0; x < raster.width; x += 1) if (raster.pixels[(y * raster.width + x) * 3] === 0) ink.push([x, y]);
  }
  return ink;
}

function render(text: string, options: { vertical?: boolean; scale?: number } = {}): [number, number][] {
  const raster = createRaster(40, 40, '#ffffff');
  drawText(raster, text, 10, 10, { color: [0, 0, 0], ...options });
  return inkPixels(raster);
}

describe('png font', () => {
  it('has a distinct glyph inside its 5×8 cell for every printable ASCII character', () => {
    const question = JSON.stringify(render('?'));
    for (let code = 33; code < 127; code += 1) {
      const character = String.fromCharCode(code);
      const ink = render(character);
      expect(ink.length, character).toBeGreaterThan(0);
      for (const [x, y] of ink) {
        expect(x - 10, character).toBeLessThan(5);
        expect(y - 10, character).toBeLessThan(8);
      }
      if (character !== '?') expect(JSON.stringify(ink), character).not.toBe(question);
    }
    expect(render(' ')).toEqual([]);
  });

  it('draws unknown characters as ?', () => {
    expect(render('é')).toEqual(render('?'));
  });

  it('scales and rotates', () => {
    expect(render('1', { scale: 2 })).toHaveLength(render('1').length * 4);
    const vertical = render('1', { vertical: true });
    expect(vertical).toHaveLength(render('1').length);
    // Reading upwards: the glyph's columns run up the screen from y, its rows to the right of x.
    for (const [x, y] of vertical) {
      expect(x).toBeGreaterThanOrEqual(10);
      expect(y).toBeLessThan(10);
    }
    expect(textWidth('abc')).toBe(17);
  });
});
