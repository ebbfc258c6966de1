// The convergence chart as PNG: the same layout as the SVG, rasterized with a built-in bitmap font.
import { type ConvergenceChartOptions, layoutConvergenceChart } from './chart-layout.js';
import { encodePng } from './png-encode.js';
import { drawText, glyphHeight } from './png-font.js';
import { createRaster, fillRect, parseColor, type Raster, strokePolyline } from './png-raster.js';

const ink = parseColor('#333333');
const titleInk = parseColor('#222222');
const gridInk = parseColor('#e6e6e6');

/** Renders the chart into an RGB raster (exposed for tests that inspect pixels). */
export function rasterizeConvergenceChart(options: ConvergenceChartOptions): Raster {
  const layout = layoutConvergenceChart(options);
  const { plot } = layout;
  const raster = createRaster(layout.width, layout.height, '#ffffff');
  const left = Math.round(plot.left);
  const right = Math.round(plot.right);
  const top = Math.round(plot.top);
  const bottom = Math.round(plot.bottom);

  for (const tick of layout.yTicks) fillRect(raster, left, Math.round(tick.position), right - left, 1, gridInk);
  for (const tick of layout.xTicks) fillRect(raster, Math.round(tick.position), top, 1, bottom - top, gridInk);

  for (const series of layout.series) {
    const thick = series.weight === 'thick';
    strokePolyline(raster, series.points, parseColor(series.color), thick ? 2.5 : 1, thick ? 1 : 0.4);
  }

  fillRect(raster, left, bottom, right - left + 1, 1, ink);
  fillRect(raster, left, top, 1, bottom - top + 1, ink);
  for (const tick of layout.xTicks) {
    const x = Math.round(tick.position);
    fillRect(raster, x, bottom, 1, 6, ink);
    drawText(raster, tick.label, x + 1, bottom + 10, { color: ink, align: 'middle' });
  }
  for (const tick of layout.yTicks) {
    const y = Math.round(tick.position);
    fillRect(raster, left - 5, y, 5, 1, ink);
    drawText(raster, tick.label, left - 9, y - 3, { color: ink, align: 'end' });
  }

  drawText(raster, layout.title, layout.width / 2, layout.titleLarge ? 14 : 18, {
    color: titleInk,
    scale: layout.titleLarge ? 2 : 1,
    align: 'middle',
  });
  drawText(raster, layout.xTitle, (left + right) / 2, bottom + 30, { color: titleInk, align: 'middle' });
  drawText(raster, layout.yTitle, 14, (top + bottom) / 2, { color: titleInk, align: 'middle', vertical: true });
  if (layout.empty) {
    const label = 'no data';
    drawText(raster, label, (left + right) / 2, (top + bottom) / 2 - glyphHeight, {
      color: parseColor('#888888'),
      align: 'middle',
    });
  }

  for (const entry of layout.legend) {
    const color = parseColor(entry.color);
    const thick = entry.weight === 'thick';
    strokePolyline(
      raster,
      [
        { x: entry.x, y: entry.y + 0.5 },
        { x: entry.x + 24, y: entry.y + 0.5 },
      ],
      color,
      thick ? 2.5 : 1,
    );
    drawText(raster, entry.label, entry.x + 32, entry.y - 3, { color: titleInk });
  }
  return raster;
}

/** Renders the convergence chart as PNG file bytes (deterministic: same options, same bytes). */
export function renderConvergencePng(options: ConvergenceChartOptions): Buffer {
  const raster = rasterizeConvergenceChart(options);
  return encodePng({ width: raster.width, height: raster.height, channels: 3, data: raster.pixels });
}
