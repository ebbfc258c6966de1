// A minimal PNG encoder: 8-bit RGB or RGBA, one IDAT chunk deflated with node:zlib, CRC-32 per chunk.
import { deflateSync } from 'node:zlib';
import { BilevelError } from '../../core/errors.js';

export interface PngImage {
  /** Pixels across. */
  width: number;
  /** Pixels down. */
  height: number;
  /** 3 (RGB) or 4 (RGBA) bytes per pixel. */
  channels: 3 | 4;
  /** Row-major pixel bytes, top row first: width × height × channels bytes. */
  data: Uint8Array;
}

/** The 8 bytes every PNG file starts with. */
export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let value = index;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42, as PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, payload: Uint8Array): Buffer {
  const typeAndPayload = Buffer.concat([Buffer.from(type, 'latin1'), payload]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndPayload));
  return Buffer.concat([length, typeAndPayload, crc]);
}

/** Encodes pixels as a PNG file (no interlacing, filter type 0 on every row; deterministic bytes). */
export function encodePng(image: PngImage): Buffer {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new BilevelError('INTERNAL', `PNG size ${width}×${height} is not a positive whole number of pixels`);
  }
  const rowBytes = width * channels;
  if (data.length !== rowBytes * height) {
    throw new BilevelError('INTERNAL', `PNG data has ${data.length} bytes, expected ${rowBytes * height}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 4 ? 6 : 2; // colour type: truecolour with or without alpha
  // bytes 10-12: compression 0 (deflate), filter method 0, interlace 0 (none)
  const filtered = Buffer.alloc((rowBytes + 1) * height);
  for (let row = 0; row < height; row += 1) {
    filtered[row * (rowBytes + 1)] = 0; // filter type None
    filtered.set(data.subarray(row * rowBytes, (row + 1) * rowBytes), row * (rowBytes + 1) + 1);
  }
  return Buffer.concat([
    pngSignature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filtered, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
