import { describe, expect, it } from 'vitest';
import { pngChunks, readPng } from '../../../test/helpers/read-png.js';
import { dashPieces, rasterizeScene, renderScenePng } from './chart-png.js';
import { marker, type Scene } from './chart-scene.js';

const scene: Scene = {
  width: 320,
  height: 200,
  title: 'demo',
  background: '#ffffff',
  shapes: [
    { kind: 'rect', x: 10, y: 10, width: 40, height: 30, fill: '#f2f2f2' },
    {
      kind: 'line',
      points: [
        { x: 60, y: 100 },
        { x: 260, y: 100 },
      ],
      stroke: '#0072b2',
      width: 3,
    },
    {
      kind: 'line',
      points: [
        { x: 100.5, y: 20 },
        { x: 100.5, y: 180 },
      ],
      stroke: '#d55e00',
      width: 1.5,
      dash: [6, 4],
    },
    marker('circle', { x: 200, y: 50 }, 10, '#009e73'),
    marker('cross', { x: 240, y: 150 }, 10, '#cc79a7'),
    marker('ring', { x: 280, y: 50 }, 12, '#000000'),
    { kind: 'text', x: 160, y: 190, text: 'trial', size: 'normal', anchor: 'middle', color: '#222222' },
  ],
};

describe('renderScenePng', () => {
  const file = renderScenePng(scene);
  const image = readPng(file);
  const at = (x: number, y: number): number[] => {
    const offset = (Math.floor(y) * image.width + Math.floor(x)) * 3;
    return [...image.data.subarray(offset, offset + 3)];
  };

  it('is a valid PNG of the scene size', () => {
    expect(pngChunks(file).map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(image).toMatchObject({ width: 320, height: 200, channels: 3 });
  });

  it('draws each shape where the scene puts it and leaves the rest white', () => {
    expect(at(30, 25)).toEqual([0xf2, 0xf2, 0xf2]);
    expect(at(160, 100)).toEqual([0x00, 0x72, 0xb2]);
    expect(at(200, 50)).toEqual([0x00, 0x9e, 0x73]);
    expect(at(240, 150)).toEqual([0xcc, 0x79, 0xa7]);
    // A ring is outlined: ink on the circle, white at its centre.
    expect(at(280, 50)).toEqual([255, 255, 255]);
    expect(at(285.5, 50)).not.toEqual([255, 255, 255]);
    // The dashed line: ink in the first dash, white in the first gap (pixels 6-10 along it).
    expect(at(100, 23)).toEqual([0xd5, 0x5e, 0x00]);
    expect(at(100, 28)).toEqual([255, 255, 255]);
    expect(at(5, 150)).toEqual([255, 255, 255]);
    const text = [...Array(20).keys()].some((dx) => at(150 + dx, 186)[0]! < 128);
    expect(text).toBe(true);
  });

  it('encodes exactly the rasterized pixels, deterministically', () => {
    expect(Buffer.from(image.data).equals(Buffer.from(rasterizeScene(scene).pixels))).toBe(true);
    expect(renderScenePng(scene).equals(file)).toBe(true);
  });
});

describe('dashPieces', () => {
  it('cuts a polyline into dashes that follow its corners', () => {
    const pieces = dashPieces(
      [
        { x: 0, y: 0 },
        { x: 5, y: 0 },
        { x: 5, y: 10 },
      ],
      [4, 2],
    );
    expect(pieces).toEqual([
      [
        { x: 0, y: 0 },
        { x: 4, y: 0 },
      ],
      [
        { x: 5, y: 1 },
        { x: 5, y: 5 },
      ],
      [
        { x: 5, y: 7 },
        { x: 5, y: 10 },
      ],
    ]);
  });
});
