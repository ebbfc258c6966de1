import { describe, expect, it } from 'vitest';
import { pngChunks, readPng } from '../../../test/helpers/read-png.js';
import { crc32, encodePng } from './png-encode.js';

describe('crc32', () => {
  it('matches the standard check values', () => {
    // CRC-32 of "123456789" is 0xCBF43926 (the catalogue check value); of "IEND" 0xAE426082 (every PNG ends with it).
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });
});

describe('encodePng', () => {
  it('writes signature, IHDR, IDAT and IEND with valid CRCs, and round-trips the pixels', () => {
    const data = new Uint8Array(3 * 2 * 4);
    data.set([255, 0, 0, 255], 0);
    data.set([0, 0, 255, 128], (1 * 3 + 2) * 4);
    const file = encodePng({ width: 3, height: 2, channels: 4, data });
    expect(file.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const chunks = pngChunks(file);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...chunks[0]!.data]).toEqual([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
    expect(file.subarray(-12).toString('hex')).toBe('0000000049454e44ae426082');
    const decoded = readPng(file);
    expect(decoded).toMatchObject({ width: 3, height: 2, channels: 4 });
    expect([...decoded.data]).toEqual([...data]);
  });

  it('writes RGB too', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const decoded = readPng(encodePng({ width: 1, height: 2, channels: 3, data }));
    expect(decoded.channels).toBe(3);
    expect([...decoded.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses data of the wrong size', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).toThrow(/expected 12/);
  });
});
