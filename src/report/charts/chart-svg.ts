// The convergence chart as SVG: running best by trial, thin lines per repeat, thick line per group mean.
import { type ConvergenceChartOptions, layoutConvergenceChart } from './chart-layout.js';

/** Escapes text for XML content and attributes, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping the control characters XML forbids is the point.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Pixel coordinate with two decimals: compact, and identical on every platform. */
function coordinate(value: number): string {
  return Number(value.toFixed(2)).toString();
}

/**
 * Renders the chart as a standalone SVG document (deterministic: same options, same bytes).
 * Each series is one `<polyline>` with exactly one point per non-null trial value; null values
 * are skipped, so the line joins the neighbouring trials (running-best series only have leading
 * nulls, which simply start the line later). A series with one value shows as a dot.
 */
export function renderConvergenceSvg(options: ConvergenceChartOptions): string {
  const layout = layoutConvergenceChart(options);
  const { plot } = layout;
  const lines: string[] = [];
  const push = (line: string): void => {
    lines.push(line);
  };
  push('<?xml version="1.0" encoding="UTF-8"?>');
  push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" ` +
      `viewBox="0 0 ${layout.width} ${layout.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  push(`<title>${escapeXml(layout.title)}</title>`);
  push(`<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`);
  push(
    `<text x="${coordinate(layout.width / 2)}" y="26" text-anchor="middle" font-size="${layout.titleLarge ? 16 : 12}" ` +
      `font-weight="bold" fill="#222222">${escapeXml(layout.title)}</text>`,
  );

  push('<g class="grid" stroke="#e6e6e6" stroke-width="1">');
  for (const tick of layout.yTicks) {
    const y = coordinate(tick.position);
    push(`<line x1="${plot.left}" y1="${y}" x2="${plot.right}" y2="${y}"/>`);
  }
  for (const tick of layout.xTicks) {
    const x = coordinate(tick.position);
    push(`<line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.bottom}"/>`);
  }
  push('</g>');

  push('<g class="axes" stroke="#333333" stroke-width="1">');
  push(`<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}"/>`);
  push(`<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}"/>`);
  for (const tick of layout.xTicks) {
    const x = coordinate(tick.position);
    push(`<line x1="${x}" y1="${plot.bottom}" x2="${x}" y2="${plot.bottom + 5}"/>`);
  }
  for (const tick of layout.yTicks) {
    const y = coordinate(tick.position);
    push(`<line x1="${plot.left - 5}" y1="${y}" x2="${plot.left}" y2="${y}"/>`);
  }
  push('</g>');

  push('<g class="tick-labels" fill="#333333">');
  for (const tick of layout.xTicks) {
    push(`<text x="${coordinate(tick.position)}" y="${plot.bottom + 19}" text-anchor="middle">${tick.label}</text>`);
  }
  for (const tick of layout.yTicks) {
    push(`<text x="${plot.left - 8}" y="${coordinate(tick.position + 4)}" text-anchor="end">${tick.label}</text>`);
  }
  push('</g>');

  const yTitleX = 20;
  const yTitleY = coordinate((plot.top + plot.bottom) / 2);
  push(
    `<text x="${coordinate((plot.left + plot.right) / 2)}" y="${plot.bottom + 40}" text-anchor="middle" ` +
      `fill="#222222">${escapeXml(layout.xTitle)}</text>`,
  );
  push(
    `<text x="${yTitleX}" y="${yTitleY}" text-anchor="middle" fill="#222222" ` +
      `transform="rotate(-90 ${yTitleX} ${yTitleY})">${escapeXml(layout.yTitle)}</text>`,
  );
  if (layout.empty) {
    push(
      `<text x="${coordinate((plot.left + plot.right) / 2)}" y="${coordinate((plot.top + plot.bottom) / 2)}" ` +
        'text-anchor="middle" fill="#888888">no data</text>',
    );
  }

  push('<g class="series" fill="none" stroke-linejoin="round" stroke-linecap="round">');
  for (const series of layout.series) {
    const points = series.points.map((point) => `${coordinate(point.x)},${coordinate(point.y)}`).join(' ');
    const style = series.weight === 'thick' ? 'stroke-width="2.5"' : 'stroke-width="1" stroke-opacity="0.4"';
    push(
      `<polyline class="${series.weight}" points="${points}" stroke="${series.color}" ${style}>` +
        `<title>${escapeXml(series.label)}</title></polyline>`,
    );
  }
  push('</g>');

  push('<g class="legend" fill="#222222">');
  for (const entry of layout.legend) {
    const width = entry.weight === 'thick' ? 2.5 : 1;
    push(
      `<line x1="${entry.x}" y1="${entry.y}" x2="${entry.x + 24}" y2="${entry.y}" stroke="${entry.color}" ` +
        `stroke-width="${width}"/>`,
    );
    push(`<text x="${entry.x + 32}" y="${entry.y + 4}">${escapeXml(entry.label)}</text>`);
  }
  push('</g>');
  push('</svg>');
  return `${lines.join('\n')}\n`;
}
