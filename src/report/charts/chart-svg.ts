// A chart scene as SVG: every shape of the scene as one element, in order, with its class and tooltip.
import { normalizeColor, type Point, type Scene, type Shape } from './chart-scene.js';

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

function pointList(points: readonly Point[]): string {
  return points.map((point) => `${coordinate(point.x)},${coordinate(point.y)}`).join(' ');
}

function common(shape: Shape): string {
  return shape.className ? ` class="${escapeXml(shape.className)}"` : '';
}

function opacity(value: number | undefined, attribute: string): string {
  return value === undefined || value >= 1 ? '' : ` ${attribute}="${coordinate(value)}"`;
}

/** One element; a tooltip becomes its `<title>` child. */
function element(shape: Shape): string {
  const close = (tag: string, attributes: string): string =>
    shape.title ? `<${tag}${attributes}><title>${escapeXml(shape.title)}</title></${tag}>` : `<${tag}${attributes}/>`;
  switch (shape.kind) {
    case 'rect':
      return close(
        'rect',
        `${common(shape)} x="${coordinate(shape.x)}" y="${coordinate(shape.y)}" width="${coordinate(shape.width)}" ` +
          `height="${coordinate(shape.height)}" fill="${normalizeColor(shape.fill)}"${opacity(shape.opacity, 'fill-opacity')}`,
      );
    case 'line':
      return close(
        'polyline',
        `${common(shape)} points="${pointList(shape.points)}" fill="none" stroke="${normalizeColor(shape.stroke)}" ` +
          `stroke-width="${coordinate(shape.width)}"${opacity(shape.opacity, 'stroke-opacity')}` +
          `${shape.dash ? ` stroke-dasharray="${shape.dash.map(coordinate).join(' ')}"` : ''}`,
      );
    case 'polygon':
      return close(
        'polygon',
        `${common(shape)} points="${pointList(shape.points)}" fill="${shape.fill ? normalizeColor(shape.fill) : 'none'}"` +
          `${shape.stroke ? ` stroke="${normalizeColor(shape.stroke)}" stroke-width="${coordinate(shape.strokeWidth ?? 1)}"` : ''}` +
          `${opacity(shape.opacity, 'opacity')}`,
      );
    case 'text': {
      const x = coordinate(shape.x);
      const y = coordinate(shape.y);
      const size = shape.size === 'large' ? 16 : 12;
      return (
        `<text${common(shape)} x="${x}" y="${y}" text-anchor="${shape.anchor}" font-size="${size}"` +
        `${shape.bold || shape.size === 'large' ? ' font-weight="bold"' : ''} fill="${normalizeColor(shape.color)}"` +
        `${shape.vertical ? ` transform="rotate(-90 ${x} ${y})"` : ''}>${escapeXml(shape.text)}` +
        `${shape.title ? `<title>${escapeXml(shape.title)}</title>` : ''}</text>`
      );
    }
  }
}

/** Renders the scene as a standalone SVG document (deterministic: same scene, same bytes). */
export function renderSceneSvg(scene: Scene): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" ` +
      `viewBox="0 0 ${scene.width} ${scene.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(scene.title)}</title>`,
    `<rect x="0" y="0" width="${scene.width}" height="${scene.height}" fill="${normalizeColor(scene.background)}"/>`,
    ...scene.shapes.map(element),
    '</svg>',
    '',
  ].join('\n');
}
