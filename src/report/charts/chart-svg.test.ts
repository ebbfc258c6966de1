import { describe, expect, it } from 'vitest';
import { xmlProblems as strictXmlProblems } from '../../../test/helpers/xml-problems.js';
import { marker, type Scene } from './chart-scene.js';
import { escapeXml, renderSceneSvg } from './chart-svg.js';

const xmlProblems = (xml: string): string[] => strictXmlProblems(xml, { requireDeclaration: false });

const scene: Scene = {
  width: 300,
  height: 200,
  title: 'Study <tinygpt> & friends',
  background: '#fff',
  shapes: [
    { kind: 'rect', className: 'not-run', x: 10, y: 10, width: 50.123, height: 20, fill: '#F2F2F2', opacity: 0.5 },
    {
      kind: 'line',
      className: 'event activated',
      points: [
        { x: 1, y: 2 },
        { x: 3.456, y: 4 },
      ],
      stroke: '#009e73',
      width: 1.5,
      dash: [6, 3],
      title: 'after trial 5: tabu activated',
    },
    marker('triangle-up', { x: 20, y: 20 }, 9, '#8c8c8c', { className: 'trial discard off-scale', title: 'a "quote"' }),
    marker('ring', { x: 40, y: 40 }, 12, '#000', { className: 'under-load' }),
    {
      kind: 'text',
      x: 5,
      y: 100,
      text: 'val_bpb <lower>',
      size: 'normal',
      anchor: 'middle',
      color: '#222',
      vertical: true,
    },
    { kind: 'text', x: 150, y: 26, text: 'C & D', size: 'large', anchor: 'middle', color: '#222' },
  ],
};

describe('the well-formedness check itself', () => {
  it('catches broken documents', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg>a & b</svg>')).not.toEqual([]);
    expect(xmlProblems('<svg x="1" x="2"/>')).not.toEqual([]);
    expect(xmlProblems('<svg/><svg/>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>1 < 2</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text a="1">x &amp; y</text></svg>')).toEqual([]);
  });
});

describe('renderSceneSvg', () => {
  const svg = renderSceneSvg(scene);

  it('is a well-formed SVG document with one element per shape, in order', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    expect(xmlProblems(svg)).toEqual([]);
    const elements = [...svg.matchAll(/^<(rect|polyline|polygon|text)\b/gm)].map((match) => match[1]);
    expect(elements).toEqual(['rect', 'rect', 'polyline', 'polygon', 'polygon', 'text', 'text']);
  });

  it('writes each shape as drawn: fills, strokes, dashes, opacity, markers as polygons, rotated text', () => {
    expect(svg).toContain(
      '<rect class="not-run" x="10" y="10" width="50.12" height="20" fill="#f2f2f2" fill-opacity="0.5"/>',
    );
    expect(svg).toContain(
      '<polyline class="event activated" points="1,2 3.46,4" fill="none" stroke="#009e73" stroke-width="1.5" stroke-dasharray="6 3"><title>after trial 5: tabu activated</title></polyline>',
    );
    expect(svg).toMatch(
      /<polygon class="trial discard off-scale" points="20,15.5 24.5,24.5 15.5,24.5" fill="#8c8c8c"><title>a &quot;quote&quot;<\/title><\/polygon>/,
    );
    expect(svg).toMatch(
      /<polygon class="under-load" points="[^"]+" fill="none" stroke="#000000" stroke-width="1.5"\/>/,
    );
    expect(svg).toContain('transform="rotate(-90 5 100)">val_bpb &lt;lower&gt;</text>');
    expect(svg).toContain('font-size="16" font-weight="bold" fill="#222222">C &amp; D</text>');
    expect(svg).toContain('<title>Study &lt;tinygpt&gt; &amp; friends</title>');
  });

  it('is deterministic', () => {
    expect(renderSceneSvg(scene)).toBe(svg);
  });
});

describe('escapeXml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
