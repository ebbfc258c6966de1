// A chart scene as PNG: the same shapes as the SVG, rasterized, with text in a built-in bitmap font.
import type { LineShape, Point, Scene } from './chart-scene.js';
import { encodePng } from './png-encode.js';
import { drawText, glyphHeight } from './png-font.js';
import { createRaster, fillPolygon, fillRect, parseColor, type Raster, strokePolyline } from './png-raster.js';

/** The dashes of a polyline as separate pieces: `on` pixels drawn, `off` skipped, from its start. */
export function dashPieces(points: readonly Point[], dash: readonly [number, number]): Point[][] {
  const [on, off] = dash;
  const pieces: Point[][] = [];
  let current: Point[] = [];
  let drawing = true;
  let left = on;
  for (let index = 1; index < points.length; index += 1) {
    let from = points[index - 1]!;
    const to = points[index]!;
    let length = Math.hypot(to.x - from.x, to.y - from.y);
    while (length > 0) {
      const step = Math.min(left, length);
      const ratio = step / length;
      const next = { x: from.x + (to.x - from.x) * ratio, y: from.y + (to.y - from.y) * ratio };
      if (drawing) {
        if (current.length === 0) current.push(from);
        current.push(next);
      }
      from = next;
      length -= step;
      left -= step;
      if (left <= 1e-9) {
        if (drawing && current.length > 1) pieces.push(current);
        current = [];
        drawing = !drawing;
        left = drawing ? on : off;
      }
    }
  }
  if (drawing && current.length > 1) pieces.push(current);
  return pieces;
}

function strokeLine(raster: Raster, shape: LineShape): void {
  const color = parseColor(shape.stroke);
  const pieces = shape.dash ? dashPieces(shape.points, shape.dash) : [shape.points];
  for (const piece of pieces) strokePolyline(raster, piece, color, shape.width, shape.opacity ?? 1);
}

/** Renders the scene into an RGB raster (exposed for tests that inspect pixels). */
export function rasterizeScene(scene: Scene): Raster {
  const raster = createRaster(scene.width, scene.height, scene.background);
  for (const shape of scene.shapes) {
    switch (shape.kind) {
      case 'rect':
        fillRect(raster, shape.x, shape.y, shape.width, shape.height, parseColor(shape.fill), shape.opacity ?? 1);
        break;
      case 'line':
        strokeLine(raster, shape);
        break;
      case 'polygon':
        if (shape.fill) fillPolygon(raster, shape.points, parseColor(shape.fill), shape.opacity ?? 1);
        if (shape.stroke) {
          const closed = [...shape.points, shape.points[0]!];
          strokePolyline(raster, closed, parseColor(shape.stroke), shape.strokeWidth ?? 1, shape.opacity ?? 1);
        }
        break;
      case 'text': {
        const scale = shape.size === 'large' ? 2 : 1;
        const options = { color: parseColor(shape.color), scale, align: shape.anchor };
        // The scene gives the baseline; the font draws from the top of its glyph cells.
        if (shape.vertical)
          drawText(raster, shape.text, shape.x - glyphHeight * scale, shape.y, { ...options, vertical: true });
        else drawText(raster, shape.text, shape.x, shape.y - glyphHeight * scale, options);
        break;
      }
    }
  }
  return raster;
}

/** Renders the scene as PNG file bytes (deterministic: same scene, same bytes). */
export function renderScenePng(scene: Scene): Buffer {
  const raster = rasterizeScene(scene);
  return encodePng({ width: raster.width, height: raster.height, channels: 3, data: raster.pixels });
}
