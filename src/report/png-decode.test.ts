import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, pngSignature } from './charts/png-encode.js';
import { decodePng, readPngChunks } from './png-decode.js';

function chunk(type: string, payload: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), payload]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

describe('decodePng', () => {
  it('undoes the Sub, Up, Average and Paeth filters', () => {
    // A 2×4 grey-ish RGB image, one row per filter, encoded by hand.
    const pixels = [
      [10, 20, 30, 40, 50, 60],
      [11, 22, 33, 44, 55, 66],
      [12, 24, 36, 48, 60, 72],
      [200, 100, 50, 25, 12, 6],
    ];
    const filtered: number[] = [];
    const at = (row: number, index: number): number => (row < 0 || index < 0 ? 0 : pixels[row]![index]!);
    pixels.forEach((row, rowIndex) => {
      const filter = rowIndex + 1;
      filtered.push(filter);
      row.forEach((value, index) => {
        const left = at(rowIndex, index - 3);
        const up = at(rowIndex - 1, index);
        const upLeft = at(rowIndex - 1, index - 3);
        let prediction = 0;
        if (filter === 1) prediction = left;
        if (filter === 2) prediction = up;
        if (filter === 3) prediction = Math.floor((left + up) / 2);
        if (filter === 4) {
          const estimate = left + up - upLeft;
          const distances = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
          prediction =
            distances[0]! <= distances[1]! && distances[0]! <= distances[2]!
              ? left
              : distances[1]! <= distances[2]!
                ? up
                : upLeft;
        }
        filtered.push((value - prediction) & 0xff);
      });
    });
    const header = Buffer.from([0, 0, 0, 2, 0, 0, 0, 4, 8, 2, 0, 0, 0]);
    const file = Buffer.concat([
      pngSignature,
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from(filtered))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect([...decodePng(file).data]).toEqual(pixels.flat());
  });

  it('rejects a corrupted CRC', () => {
    const file = Buffer.from(encodePng({ width: 1, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3]) }));
    file[20] = file[20]! ^ 0xff;
    expect(() => readPngChunks(file)).toThrow(/bad CRC in IHDR/);
  });
});
