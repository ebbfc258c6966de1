// Reads back 8-bit RGB/RGBA PNG files (all five row filters, no interlacing): for checking charts in tests and CLI runs.
import { inflateSync } from 'node:zlib';
import { BilevelError } from '../core/errors.js';
import { crc32, pngSignature } from './charts/png-encode.js';

export interface PngChunk {
  /** Four-letter chunk type, e.g. `IHDR`. */
  type: string;
  data: Buffer;
}

export interface DecodedPng {
  width: number;
  height: number;
  channels: 3 | 4;
  /** Row-major pixel bytes, top row first. */
  data: Buffer;
}

function invalid(reason: string): BilevelError {
  return new BilevelError('INTERNAL', `not a valid PNG: ${reason}`, {
    hint: 'Re-create the chart; if it keeps failing, report the file as a bug.',
  });
}

/** Splits a PNG file into its chunks, checking the signature, every length and every CRC. */
export function readPngChunks(file: Buffer): PngChunk[] {
  if (file.length < 8 || !file.subarray(0, 8).equals(pngSignature)) throw invalid('bad signature');
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw invalid('truncated chunk header');
    const length = file.readUInt32BE(offset);
    if (offset + 12 + length > file.length) throw invalid('truncated chunk');
    const type = file.subarray(offset + 4, offset + 8).toString('latin1');
    const crc = file.readUInt32BE(offset + 8 + length);
    if (crc !== crc32(file.subarray(offset + 4, offset + 8 + length))) throw invalid(`bad CRC in ${type}`);
    chunks.push({ type, data: file.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND')
    throw invalid('must start with IHDR and end with IEND');
  return chunks;
}

/** Decodes an 8-bit truecolour PNG (with or without alpha, not interlaced) to raw pixels. */
export function decodePng(file: Buffer): DecodedPng {
  const chunks = readPngChunks(file);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  if (header[8] !== 8 || (header[9] !== 2 && header[9] !== 6) || header[12] !== 0) {
    throw invalid('only 8-bit RGB/RGBA without interlacing is supported');
  }
  const channels = header[9] === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
  const rowBytes = width * channels;
  if (raw.length !== (rowBytes + 1) * height) throw invalid('image data has the wrong size');
  const data = Buffer.alloc(rowBytes * height);
  for (let row = 0; row < height; row += 1) {
    const filter = raw[row * (rowBytes + 1)]!;
    const source = row * (rowBytes + 1) + 1;
    const target = row * rowBytes;
    for (let index = 0; index < rowBytes; index += 1) {
      const left = index >= channels ? data[target + index - channels]! : 0;
      const up = row > 0 ? data[target - rowBytes + index]! : 0;
      const upLeft = row > 0 && index >= channels ? data[target - rowBytes + index - channels]! : 0;
      data[target + index] = (raw[source + index]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return { width, height, channels, data };
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      const estimate = left + up - upLeft;
      const toLeft = Math.abs(estimate - left);
      const toUp = Math.abs(estimate - up);
      const toUpLeft = Math.abs(estimate - upLeft);
      if (toLeft <= toUp && toLeft <= toUpLeft) return left;
      return toUp <= toUpLeft ? up : upLeft;
    }
    default:
      throw invalid(`unknown row filter ${filter}`);
  }
}
