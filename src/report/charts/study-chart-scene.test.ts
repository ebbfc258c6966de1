import { describe, expect, it } from 'vitest';
import { readPng } from '../../../test/helpers/read-png.js';
import { xmlProblems } from '../../../test/helpers/xml-problems.js';
import { renderScenePng } from './chart-png.js';
import { renderSceneSvg } from './chart-svg.js';
import { studyChartData } from './study-chart-data.js';
import { studyChartScene } from './study-chart-scene.js';

const same = [
  [0, 0.01, 0.01, 0.02],
  [0, 0, 0.03, 0.03],
];
const data = studyChartData('improvement in val_bpb', [
  { label: 'A (1)', runs: same },
  { label: 'B (1+1.5)', runs: [[0, 0.02, 0.04, 0.04]] },
  { label: 'C (1+1.5+2)', runs: [[0, 0.02, 0.04, 0.04]] },
  { label: 'D (1+2)', runs: same },
]);
const scene = studyChartScene(data, { title: 'Ablation on synthetic: best improvement so far', subtitle: 'sub' });
const svg = renderSceneSvg(scene);
const texts = scene.shapes.flatMap((shape) => (shape.kind === 'text' ? [shape] : []));

describe('the ablation chart (one panel per group)', () => {
  it('draws every group in its own panel, so identical groups stay visible, and says which ones are identical', () => {
    expect(texts.filter((text) => text.className === 'panel-title').map((text) => text.text)).toEqual([
      'A (1): 2 repeats',
      'B (1+1.5): 1 repeat',
      'C (1+1.5+2): 1 repeat',
      'D (1+2): 2 repeats',
    ]);
    expect(texts.filter((text) => text.className === 'same-as').map((text) => text.text)).toEqual([
      'identical to B (1+1.5) in every repeat',
      'identical to A (1) in every repeat',
    ]);
    // Each panel: its repeats, its mean, and the other three groups' means for comparison.
    const lines = (className: string): number => scene.shapes.filter((shape) => shape.className === className).length;
    expect([lines('repeat'), lines('mean'), lines('other-mean')]).toEqual([6, 4, 12]);
    const panelTops = texts.filter((text) => text.className === 'panel-title').map((text) => [text.x, text.y]);
    expect(new Set(panelTops.map(String)).size).toBe(4);
  });

  it('keeps the title on the chart and has a legend for each kind of line', () => {
    const title = texts.find((text) => text.className === 'title')!;
    expect(title.text).toBe('Ablation on synthetic: best improvement so far');
    expect(title.text.length * 12).toBeLessThanOrEqual(scene.width - 16);
    expect(texts.filter((text) => text.className === 'legend-label').map((text) => text.text)).toEqual([
      "one repeat's best so far",
      "the group's mean",
      "the other groups' means",
    ]);
    const long = studyChartScene(data, { title: 'x'.repeat(200) });
    const cut = long.shapes.find((shape) => shape.className === 'title');
    expect(cut?.kind === 'text' && cut.text.length * 7).toBeLessThanOrEqual(long.width);
  });

  it('renders as well-formed SVG and a PNG of the same size', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('<title>A (1) mean (2 repeats)</title>');
    const png = readPng(renderScenePng(scene));
    expect([png.width, png.height]).toEqual([scene.width, scene.height]);
  });
});
