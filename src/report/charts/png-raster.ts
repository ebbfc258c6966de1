// A small RGB raster for the PNG chart: rectangles, anti-aliased polylines of any width, and filled polygons.
import { normalizeColor } from './chart-scene.js';

export interface Raster {
  width: number;
  height: number;
  /** RGB bytes, row-major, top row first. */
  pixels: Uint8Array;
}

export type Rgb = readonly [number, number, number];

/** `#rgb`/`#rrggbb` → [r, g, b]. */
export function parseColor(color: string): Rgb {
  const hex = normalizeColor(color);
  return [
    Number.parseInt(hex.slice(1, 3), 16),
    Number.parseInt(hex.slice(3, 5), 16),
    Number.parseInt(hex.slice(5, 7), 16),
  ];
}

export function createRaster(width: number, height: number, background: string): Raster {
  const pixels = new Uint8Array(width * height * 3);
  const [red, green, blue] = parseColor(background);
  for (let offset = 0; offset < pixels.length; offset += 3) {
    pixels[offset] = red;
    pixels[offset + 1] = green;
    pixels[offset + 2] = blue;
  }
  return { width, height, pixels };
}

/** Mixes `color` into one pixel with weight `alpha` in [0, 1]; pixels outside the raster are ignored. */
export function blendPixel(raster: Raster, x: number, y: number, color: Rgb, alpha: number): void {
  if (x < 0 || y < 0 || x >= raster.width || y >= raster.height || alpha <= 0) return;
  const offset = (y * raster.width + x) * 3;
  const weight = Math.min(1, alpha);
  for (let channel = 0; channel < 3; channel += 1) {
    const current = raster.pixels[offset + channel]!;
    raster.pixels[offset + channel] = Math.round(current + (color[channel]! - current) * weight);
  }
}

/** Fills the pixels [x, x + width) × [y, y + height) (whole pixels; clipped to the raster). */
export function fillRect(
  raster: Raster,
  x: number,
  y: number,
  width: number,
  height: number,
  color: Rgb,
  alpha = 1,
): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(raster.width, Math.round(x + width));
  const y1 = Math.min(raster.height, Math.round(y + height));
  for (let row = y0; row < y1; row += 1) {
    for (let column = x0; column < x1; column += 1) blendPixel(raster, column, row, color, alpha);
  }
}

/** The smallest box holding every point. */
function boundsOf(points: readonly { x: number; y: number }[]): {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
} {
  let [minX, minY, maxX, maxY] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -Infinity, -Infinity];
  for (const point of points) {
    minX = Math.min(minX, point.x);
    minY = Math.min(minY, point.y);
    maxX = Math.max(maxX, point.x);
    maxY = Math.max(maxY, point.y);
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Strokes a polyline `lineWidth` pixels wide with round joins and caps, anti-aliased by the
 * distance from each pixel centre to the nearest segment. Coverage is collected for the whole
 * line first, so overlapping segments of one translucent line do not darken its joints.
 */
export function strokePolyline(
  raster: Raster,
  points: readonly { x: number; y: number }[],
  color: Rgb,
  lineWidth: number,
  opacity = 1,
): void {
  if (points.length === 0) return;
  const reach = lineWidth / 2 + 1;
  const { minX, minY, maxX, maxY } = boundsOf(points);
  const left = Math.max(0, Math.floor(minX - reach));
  const top = Math.max(0, Math.floor(minY - reach));
  const right = Math.min(raster.width - 1, Math.ceil(maxX + reach));
  const bottom = Math.min(raster.height - 1, Math.ceil(maxY + reach));
  if (left > right || top > bottom) return;
  const boxWidth = right - left + 1;
  const coverage = new Float32Array(boxWidth * (bottom - top + 1));
  const half = lineWidth / 2;
  const segmentCount = Math.max(1, points.length - 1);
  for (let index = 0; index < segmentCount; index += 1) {
    const start = points[index]!;
    const end = points[Math.min(index + 1, points.length - 1)]!;
    const dx = end.x - start.x;
    const dy = end.y - start.y;
    const lengthSquared = dx * dx + dy * dy;
    const x0 = Math.max(left, Math.floor(Math.min(start.x, end.x) - reach));
    const x1 = Math.min(right, Math.ceil(Math.max(start.x, end.x) + reach));
    const y0 = Math.max(top, Math.floor(Math.min(start.y, end.y) - reach));
    const y1 = Math.min(bottom, Math.ceil(Math.max(start.y, end.y) + reach));
    for (let row = y0; row <= y1; row += 1) {
      for (let column = x0; column <= x1; column += 1) {
        const px = column + 0.5 - start.x;
        const py = row + 0.5 - start.y;
        const along = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared));
        const distance = Math.hypot(px - along * dx, py - along * dy);
        const value = Math.min(1, half + 0.5 - distance);
        const cell = (row - top) * boxWidth + (column - left);
        if (value > coverage[cell]!) coverage[cell] = value;
      }
    }
  }
  for (let row = top; row <= bottom; row += 1) {
    for (let column = left; column <= right; column += 1) {
      const value = coverage[(row - top) * boxWidth + (column - left)]!;
      if (value > 0) blendPixel(raster, column, row, color, value * opacity);
    }
  }
}

/** Sub-samples per pixel side when filling polygons (16 per pixel): enough to anti-alias small markers. */
const polygonSamples = 4;

/** Fills a closed polygon (even-odd rule), anti-aliased by sub-sampling: scanlines at sub-pixel rows and columns. */
export function fillPolygon(
  raster: Raster,
  points: readonly { x: number; y: number }[],
  color: Rgb,
  opacity = 1,
): void {
  if (points.length < 3) return;
  const { minX, minY, maxX, maxY } = boundsOf(points);
  const left = Math.max(0, Math.floor(minX));
  const right = Math.min(raster.width - 1, Math.ceil(maxX));
  const top = Math.max(0, Math.floor(minY));
  const bottom = Math.min(raster.height - 1, Math.ceil(maxY));
  if (left > right || top > bottom) return;
  const samples = polygonSamples;
  const weight = 1 / (samples * samples);
  const coverage = new Float32Array(right - left + 1);
  const crossings: number[] = [];
  for (let row = top; row <= bottom; row += 1) {
    coverage.fill(0);
    for (let sy = 0; sy < samples; sy += 1) {
      const y = row + (sy + 0.5) / samples;
      crossings.length = 0;
      for (let index = 0, previous = points.length - 1; index < points.length; previous = index, index += 1) {
        const a = points[index]!;
        const b = points[previous]!;
        if (a.y > y !== b.y > y) crossings.push(a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y));
      }
      crossings.sort((first, second) => first - second);
      for (let pair = 0; pair + 1 < crossings.length; pair += 2) {
        const from = crossings[pair]!;
        const to = crossings[pair + 1]!;
        for (let column = Math.max(left, Math.floor(from)); column <= Math.min(right, Math.floor(to)); column += 1) {
          for (let sx = 0; sx < samples; sx += 1) {
            const x = column + (sx + 0.5) / samples;
            if (x >= from && x < to) coverage[column - left]! += weight;
          }
        }
      }
    }
    for (let column = left; column <= right; column += 1) {
      const value = coverage[column - left]!;
      if (value > 0) blendPixel(raster, column, row, color, value * opacity);
    }
  }
}
