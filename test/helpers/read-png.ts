// Reads PNG files back in tests through pngjs (every CRC checked): size, channels and pixels, and the chunk list.
import { PNG } from 'pngjs';

export interface ReadPng {
  width: number;
  height: number;
  /** 3 for an RGB file, 4 for RGBA, as stored. */
  channels: 3 | 4;
  /** Row-major pixel bytes, top row first, `channels` bytes per pixel. */
  data: Buffer;
}

export interface PngChunk {
  /** Four-letter chunk type, e.g. `IHDR`. */
  type: string;
  data: Buffer;
}

/** Decodes an 8-bit RGB or RGBA PNG; throws on a bad signature, CRC, size or any other format. */
export function readPng(file: Buffer): ReadPng {
  const png = PNG.sync.read(file, { checkCRC: true });
  if (png.depth !== 8 || (png.colorType !== 2 && png.colorType !== 6)) {
    throw new Error(`expected an 8-bit RGB/RGBA PNG, got depth ${png.depth}, colour type ${png.colorType}`);
  }
  if (png.colorType === 6) return { width: png.width, height: png.height, channels: 4, data: png.data };
  // pngjs always hands back RGBA: drop the alpha it added to an RGB file.
  const pixels = png.width * png.height;
  const data = Buffer.alloc(pixels * 3);
  for (let pixel = 0; pixel < pixels; pixel += 1) png.data.copy(data, pixel * 3, pixel * 4, pixel * 4 + 3);
  return { width: png.width, height: png.height, channels: 3, data };
}

/** The file's chunks in order, split by their lengths (readPng checks their CRCs). */
export function pngChunks(file: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset + 12 <= file.length; offset += 12 + file.readUInt32BE(offset)) {
    const length = file.readUInt32BE(offset);
    chunks.push({
      type: file.toString('latin1', offset + 4, offset + 8),
      data: file.subarray(offset + 8, offset + 8 + length),
    });
  }
  return chunks;
}
