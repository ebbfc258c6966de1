// A chart as a list of plain shapes in pixels: what both renderers draw, so the SVG and the PNG are one drawing.
import { BilevelError } from '../../core/errors.js';

export interface Point {
  x: number;
  y: number;
}

/** What every shape may carry: a class (SVG `class`, for tests and styling) and a tooltip (SVG `<title>`). */
interface ShapeBase {
  className?: string;
  title?: string;
}

/** A filled rectangle (`opacity` 0..1, default 1). */
export interface RectShape extends ShapeBase {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  opacity?: number;
}

/** An open polyline (a segment when two points); `dash` = [on, off] in pixels. */
export interface LineShape extends ShapeBase {
  kind: 'line';
  points: readonly Point[];
  stroke: string;
  width: number;
  opacity?: number;
  dash?: readonly [number, number];
}

/** A closed polygon, filled and/or outlined (markers are polygons, so both renderers draw the same outline). */
export interface PolygonShape extends ShapeBase {
  kind: 'polygon';
  points: readonly Point[];
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
}

/**
 * Text at (x, y) = its baseline, anchored at its start, middle or end; `vertical` reads upwards (a y-axis title).
 * Sizes: `normal` 12 px (SVG) / the 5×7 font (PNG), `large` 16 px bold / the font at 2×.
 */
export interface TextShape extends ShapeBase {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: 'normal' | 'large';
  anchor: 'start' | 'middle' | 'end';
  color: string;
  bold?: boolean;
  vertical?: boolean;
}

export type Shape = RectShape | LineShape | PolygonShape | TextShape;

/** A whole chart: its size, its title (SVG `<title>`), and its shapes in drawing order, later on top. */
export interface Scene {
  width: number;
  height: number;
  title: string;
  background: string;
  shapes: Shape[];
}

/** Pixel width of one character of `normal` text in layout arithmetic (the PNG font's advance is 6; 12 px sans ~7). */
export const characterWidth = 7;

/** Okabe–Ito colours, readable by colour-blind viewers (yellow left out: too pale on white). */
export const chartPalette = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/** Expands `#rgb` to `#rrggbb`; throws on anything else (colours go into SVG attributes and PNG pixels). */
export function normalizeColor(color: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toLowerCase();
  throw new BilevelError('INTERNAL', `chart colour ${JSON.stringify(color)} is not #rgb or #rrggbb`, {
    hint: 'Pass colours as hex, e.g. #0072b2.',
  });
}

/** Checks a chart size: whole pixels, at least 240×160, at most 40 megapixels. */
export function checkChartSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 240 || height < 160 || width * height > 4e7) {
    throw new BilevelError('INTERNAL', `chart size ${width}×${height} is not supported`, {
      hint: 'Use whole-number pixel sizes of at least 240×160 and at most 40 megapixels.',
    });
  }
}

/** Cuts `text` to `limit` characters with "..." (ASCII: the PNG font has no ellipsis). */
export function cutText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 3))}...`;
}

/** The marks a chart uses for points; each is a polygon of the same outline in SVG and PNG. */
export type MarkerShape = 'circle' | 'ring' | 'square' | 'cross' | 'triangle-up' | 'triangle-down';

/** The outline of a marker centred at (x, y), `size` pixels across. */
export function markerOutline(shape: MarkerShape, x: number, y: number, size: number): Point[] {
  const half = size / 2;
  switch (shape) {
    case 'circle':
    case 'ring':
      return Array.from({ length: 16 }, (_, index) => {
        const angle = (index / 16) * 2 * Math.PI;
        return { x: x + half * Math.cos(angle), y: y + half * Math.sin(angle) };
      });
    case 'square':
      return [
        { x: x - half, y: y - half },
        { x: x + half, y: y - half },
        { x: x + half, y: y + half },
        { x: x - half, y: y + half },
      ];
    case 'triangle-up':
      return [
        { x, y: y - half },
        { x: x + half, y: y + half },
        { x: x - half, y: y + half },
      ];
    case 'triangle-down':
      return [
        { x: x - half, y: y - half },
        { x: x + half, y: y - half },
        { x, y: y + half },
      ];
    case 'cross': {
      // An X of two diagonal bars (each arm·√2 wide), as one outline; the notches between the arms lie `arm` from the centre.
      const arm = size / 6;
      const corner = (sx: number, sy: number): Point[] => [
        { x: x + sx * (half - arm), y: y + sy * half },
        { x: x + sx * half, y: y + sy * (half - arm) },
      ];
      const [topRightA, topRightB] = corner(1, -1);
      const [bottomRightA, bottomRightB] = corner(1, 1);
      const [bottomLeftA, bottomLeftB] = corner(-1, 1);
      const [topLeftA, topLeftB] = corner(-1, -1);
      const inner = arm;
      return [
        topLeftA!,
        { x, y: y - inner },
        topRightA!,
        topRightB!,
        { x: x + inner, y },
        bottomRightB!,
        bottomRightA!,
        { x, y: y + inner },
        bottomLeftA!,
        bottomLeftB!,
        { x: x - inner, y },
        topLeftB!,
      ];
    }
  }
}

/** A marker as a shape: filled, except a ring, which is outlined. */
export function marker(
  shape: MarkerShape,
  at: Point,
  size: number,
  color: string,
  extra: ShapeBase & { opacity?: number } = {},
): PolygonShape {
  const points = markerOutline(shape, at.x, at.y, size);
  return shape === 'ring'
    ? { kind: 'polygon', points, stroke: color, strokeWidth: 1.5, ...extra }
    : { kind: 'polygon', points, fill: color, ...extra };
}
