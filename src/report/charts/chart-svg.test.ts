import { describe, expect, it } from 'vitest';
import { xmlProblems as strictXmlProblems } from '../../../test/helpers/xml-problems.js';
import { convergenceSeries } from './chart-series.js';
import { escapeXml, renderConvergenceSvg } from './chart-svg.js';

const xmlProblems = (xml: string): string[] => strictXmlProblems(xml, { requireDeclaration: false });

function polylines(svg: string): { className: string; points: string[]; title: string }[] {
  return [...svg.matchAll(/<polyline class="(\w+)" points="([^"]*)"[^>]*><title>([^<]*)<\/title><\/polyline>/g)].map(
    (match) => ({
      className: match[1]!,
      points: match[2]!.split(' ').filter((pair) => pair !== ''),
      title: match[3]!,
    }),
  );
}

const groups = [
  { label: 'A (Level 1)', runs: [Array.from({ length: 31 }, (_, trial) => 1 - trial * 0.001), [null, 0.99, 0.98]] },
  {
    label: 'C <+1.5+2> & "more"',
    runs: [Array.from({ length: 31 }, (_, trial) => (trial % 7 === 3 ? null : 1 - trial * 0.002))],
  },
];
const options = {
  title: 'Study <tinygpt> & friends',
  metricName: 'val_bpb',
  direction: 'minimize' as const,
  series: convergenceSeries(groups, 'minimize'),
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

describe('renderConvergenceSvg', () => {
  const svg = renderConvergenceSvg(options);

  it('is a well-formed SVG document', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    expect(xmlProblems(svg)).toEqual([]);
  });

  it('draws one polyline per series with exactly one point per non-null trial', () => {
    const lines = polylines(svg);
    expect(lines).toHaveLength(options.series.length);
    for (const series of options.series) {
      const line = lines.find((candidate) => candidate.title === escapeXml(series.label));
      expect(line, series.label).toBeDefined();
      expect(line!.className).toBe(series.weight);
      expect(line!.points).toHaveLength(series.points.filter((value) => value !== null).length);
    }
    // The 31-trial repeat has 31 points; the repeat that crashed at trial 0 has 2.
    expect(lines[0]!.points).toHaveLength(31);
    expect(lines[1]!.points).toHaveLength(2);
    for (const line of lines) {
      const xs = line.points.map((pair) => Number(pair.split(',')[0]));
      for (let index = 1; index < xs.length; index += 1) expect(xs[index]!).toBeGreaterThan(xs[index - 1]!);
    }
  });

  it('escapes titles and labels, and has axes, ticks and a legend', () => {
    expect(svg).toContain('<title>Study &lt;tinygpt&gt; &amp; friends</title>');
    expect(svg).toContain('C &lt;+1.5+2&gt; &amp; &quot;more&quot; mean (1 repeat)');
    expect(svg).toContain('>val_bpb (lower is better)</text>');
    expect(svg).toContain('>trial</text>');
    expect(svg).toMatch(/<g class="legend"[^>]*>\n<line [^>]*stroke="#0072b2"/);
    expect(svg).toContain('text-anchor="middle">30</text>');
  });

  it('is deterministic', () => {
    expect(renderConvergenceSvg(options)).toBe(svg);
  });

  it('says "no data" for an empty chart and stays well-formed', () => {
    const empty = renderConvergenceSvg({ ...options, series: [] });
    expect(empty).toContain('>no data</text>');
    expect(xmlProblems(empty)).toEqual([]);
  });
});

describe('escapeXml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
