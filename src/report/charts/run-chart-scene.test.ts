import { describe, expect, it } from 'vitest';
import { readPng } from '../../../test/helpers/read-png.js';
import { xmlProblems } from '../../../test/helpers/xml-problems.js';
import { rasterizeScene, renderScenePng } from './chart-png.js';
import type { LineShape, PolygonShape, Scene } from './chart-scene.js';
import { renderSceneSvg } from './chart-svg.js';
import { runChartData } from './run-chart-data.js';
import { runChartScene, statusMarks } from './run-chart-scene.js';

/** A run whose search went off the scale (trials 5-8, e.g. a busy machine), crashed once, and had Level 2 events. */
const data = runChartData({
  metricName: 'val_bpb',
  direction: 'minimize',
  plannedTrials: 14,
  trials: [
    { index: 0, status: 'keep', metric: 2.85 },
    { index: 1, status: 'discard', metric: 2.87 },
    { index: 2, status: 'keep', metric: 2.84 },
    { index: 3, status: 'crash', metric: null },
    { index: 4, status: 'discard', metric: 2.86, underLoad: true },
    { index: 5, status: 'discard', metric: 3.23, underLoad: true },
    { index: 6, status: 'discard', metric: 3.41 },
    { index: 7, status: 'discard', metric: 3.5 },
    { index: 8, status: 'discard', metric: 3.3 },
    { index: 9, status: 'rejected', metric: null },
    { index: 10, status: 'keep', metric: 2.83 },
  ],
  events: [
    { afterTrial: 5, kind: 'level-1.5', label: 'cycle 1' },
    { afterTrial: 10, kind: 'level-1.5', label: 'cycle 2' },
    { afterTrial: 5, kind: 'activated', label: 'tabu' },
    { afterTrial: 9, kind: 'retired', label: 'tabu' },
  ],
});
const scene = runChartScene(data, { title: 'tinygpt: run 20260101-000000-abcd' });
const svg = renderSceneSvg(scene);

function shapes(className: string): Scene['shapes'] {
  return scene.shapes.filter((shape) => shape.className?.split(' ').includes(className));
}

function centre(shape: Scene['shapes'][number]): { x: number; y: number } {
  const points = (shape as PolygonShape).points;
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
}

describe('the run chart (scene, SVG and PNG from one layout)', () => {
  it('draws one mark per trial and no line through the trials: only the best-so-far step line', () => {
    expect(shapes('trial')).toHaveLength(11);
    const lines = scene.shapes.filter(
      (shape) => shape.kind === 'line' && !/grid|axis|tick|event|lane|legend/.test(shape.className ?? ''),
    );
    expect(lines.map((line) => line.className)).toEqual(['best-so-far']);
    // A step line: every segment is horizontal or vertical, and it never gets worse (y grows downwards).
    const steps = (lines[0] as LineShape).points;
    for (let index = 1; index < steps.length; index += 1) {
      const [before, after] = [steps[index - 1]!, steps[index]!];
      expect(before.x === after.x || before.y === after.y).toBe(true);
      expect(after.y).toBeGreaterThanOrEqual(before.y);
    }
  });

  it('draws the off-scale trials as triangles at the top edge, and says so in the legend', () => {
    const off = shapes('off-scale');
    expect(off).toHaveLength(4);
    const plotTop = Math.min(
      ...shapes('axis').flatMap((shape) => (shape.kind === 'line' ? shape.points.map((p) => p.y) : [])),
    );
    for (const marker of off) expect(centre(marker).y).toBeLessThan(plotTop + 12);
    expect(off.map((marker) => marker.title)).toEqual([
      'trial 5: discard, val_bpb 3.23 (off scale), measured under load',
      'trial 6: discard, val_bpb 3.41 (off scale)',
      'trial 7: discard, val_bpb 3.5 (off scale)',
      'trial 8: discard, val_bpb 3.3 (off scale)',
    ]);
    expect(svg).toMatch(/>off scale: &gt; 2\.9\d* \(4\)<\/text>/);
  });

  it('puts the trials without a metric in the no-metric lane, below every measured one', () => {
    const lane = shapes('no-metric');
    expect(lane.map((marker) => marker.title)).toEqual(['trial 3: crash, no metric', 'trial 9: rejected, no metric']);
    const lowest = Math.max(
      ...shapes('trial')
        .filter((shape) => !shape.className?.includes('no-metric'))
        .map((shape) => centre(shape).y),
    );
    for (const marker of lane) expect(centre(marker).y).toBeGreaterThan(lowest);
  });

  it('marks each Level 1.5 cycle and each mechanism activation and retirement between its trials, with a legend entry', () => {
    const events = shapes('event');
    expect(events.map((event) => event.className)).toEqual([
      'event level-1.5',
      'event activated',
      'event retired',
      'event level-1.5',
    ]);
    const xOf = (trial: number): number =>
      centre(shapes('trial').find((shape) => shape.title?.startsWith(`trial ${trial}:`))!).x;
    const at = (index: number): number => (events[index] as LineShape).points[0]!.x;
    expect(at(1)).toBeGreaterThan(xOf(5));
    expect(at(1)).toBeLessThan(xOf(6));
    expect(at(2)).toBeGreaterThan(xOf(9));
    expect(at(2)).toBeLessThan(xOf(10));
    for (const label of ['Level 1.5 cycle', 'mechanism joins (+name)', 'mechanism retired (-name)', '+tabu', '-tabu']) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it('has a legend entry for every kind of mark it draws, and a gap where trials were not run yet', () => {
    const labels = shapes('legend-label').map((shape) => (shape.kind === 'text' ? shape.text : ''));
    expect(labels).toEqual([
      "keep (a trial's metric)",
      "discard (a trial's metric)",
      'crash (no metric)',
      'rejected (no metric)',
      'best kept so far',
      expect.stringMatching(/^off scale: > 2\.9\d* \(4\)$/),
      'measured under load',
      'Level 1.5 cycle',
      'mechanism joins (+name)',
      'mechanism retired (-name)',
      'not run yet',
    ]);
    expect(shapes('under-load')).toHaveLength(2);
    expect(shapes('not-run')).toHaveLength(1);
  });

  it('writes a well-formed SVG and a PNG of the same drawing: each mark coloured where the scene puts it', () => {
    expect(xmlProblems(svg)).toEqual([]);
    const png = readPng(renderScenePng(scene));
    expect([png.width, png.height]).toEqual([800, 480]);
    const pixel = (point: { x: number; y: number }): number[] => {
      const offset = (Math.floor(point.y) * png.width + Math.floor(point.x)) * 3;
      return [...png.data.subarray(offset, offset + 3)];
    };
    const hex = (color: string): number[] =>
      [1, 3, 5].map((start) => Number.parseInt(color.slice(start, start + 2), 16));
    const kept = shapes('trial').find((shape) => shape.title?.startsWith('trial 10:'))!;
    expect(pixel(centre(kept))).toEqual(hex(statusMarks.keep!.color));
    const crash = shapes('no-metric')[0]!;
    expect(pixel(centre(crash))).toEqual(hex(statusMarks.crash!.color));
    const off = shapes('off-scale')[1]!;
    expect(pixel({ x: centre(off).x, y: centre(off).y + 2 })).toEqual(hex(statusMarks.discard!.color));
    expect(svg).toContain(`fill="${statusMarks.keep!.color}"><title>trial 10: keep, val_bpb 2.83</title>`);
    expect(Buffer.from(png.data).equals(Buffer.from(rasterizeScene(scene).pixels))).toBe(true);
  });

  it('is deterministic, and says so when nothing was measured', () => {
    expect(renderSceneSvg(runChartScene(data, { title: 'tinygpt: run 20260101-000000-abcd' }))).toBe(svg);
    const empty = renderSceneSvg(
      runChartScene(runChartData({ metricName: 'val_bpb', direction: 'minimize', trials: [] }), { title: 'x' }),
    );
    expect(empty).toContain('>no metric measured yet</text>');
    expect(xmlProblems(empty)).toEqual([]);
  });
});
