// The GGUF writer and the tiny llama model, checked by an independent reader: header, key-values, tensors, alignment.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGguf, type GgufValue, ggufTypeIds } from './write-gguf.js';
import {
  tinyLlamaByteTokenId,
  tinyLlamaShape,
  tinyLlamaVocabulary,
  writeTinyLlamaGguf,
} from './write-tiny-llama-gguf.js';

/** A small GGUF reader, written independently of the writer, for the fields the tests check. */
function readGguf(bytes: Buffer) {
  let at = 0;
  const u32 = () => {
    const value = bytes.readUInt32LE(at);
    at += 4;
    return value;
  };
  const u64 = () => {
    const value = Number(bytes.readBigUInt64LE(at));
    at += 8;
    return value;
  };
  const string = () => {
    const length = u64();
    const value = bytes.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  /** Reads `size` bytes at the cursor with `read` and moves the cursor past them. */
  const take = <T>(size: number, read: (offset: number) => T): T => {
    const value = read(at);
    at += size;
    return value;
  };
  const scalar = (type: number): unknown => {
    const readers: Record<number, () => unknown> = {
      0: () => take(1, (offset) => bytes.readUInt8(offset)),
      1: () => take(1, (offset) => bytes.readInt8(offset)),
      2: () => take(2, (offset) => bytes.readUInt16LE(offset)),
      3: () => take(2, (offset) => bytes.readInt16LE(offset)),
      4: u32,
      5: () => take(4, (offset) => bytes.readInt32LE(offset)),
      6: () => take(4, (offset) => bytes.readFloatLE(offset)),
      7: () => take(1, (offset) => bytes.readUInt8(offset) === 1),
      8: string,
      10: () => take(8, (offset) => bytes.readBigUInt64LE(offset)),
      11: () => take(8, (offset) => bytes.readBigInt64LE(offset)),
      12: () => take(8, (offset) => bytes.readDoubleLE(offset)),
    };
    const reader = readers[type];
    if (reader === undefined) throw new Error(`unknown GGUF type ${type}`);
    return reader();
  };
  const magic = bytes.toString('latin1', 0, 4);
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const keyValueCount = u64();
  const metadata = new Map<string, unknown>();
  for (let index = 0; index < keyValueCount; index++) {
    const key = string();
    const type = u32();
    if (type === 9) {
      const itemType = u32();
      const length = u64();
      metadata.set(
        key,
        Array.from({ length }, () => scalar(itemType)),
      );
    } else metadata.set(key, scalar(type));
  }
  const tensors: { name: string; dimensions: number[]; type: number; offset: number }[] = [];
  for (let index = 0; index < tensorCount; index++) {
    const name = string();
    const dimensionCount = u32();
    const dimensions = Array.from({ length: dimensionCount }, u64);
    tensors.push({ name, dimensions, type: u32(), offset: u64() });
  }
  const alignment = Number(metadata.get('general.alignment') ?? 32);
  const dataStart = Math.ceil(at / alignment) * alignment;
  return { magic, version, metadata, tensors, dataStart, alignment };
}

const directory = await mkdtemp(join(tmpdir(), 'bilevel-gguf-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('encodeGguf', () => {
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['a.u8', { type: 'uint8', value: 200 }],
    ['a.i32', { type: 'int32', value: -7 }],
    ['a.f32', { type: 'float32', value: 0.5 }],
    ['a.u64', { type: 'uint64', value: 2n ** 40n }],
    ['a.f64', { type: 'float64', value: -1.25 }],
    ['a.flag', { type: 'bool', value: true }],
    ['a.names', { type: 'array', itemType: 'string', value: ['x', 'ünï', ''] }],
    ['a.numbers', { type: 'array', itemType: 'int32', value: [1, -2, 3] }],
  ]);
  const tensors = [
    { name: 'first', dimensions: [3], data: new Float32Array([1, 2, 3]) },
    { name: 'second', dimensions: [2, 2], data: new Float32Array([-1, 0.25, 4, 8]) },
  ];

  it('writes a v3 header, the key-values in order and tensor infos that read back', () => {
    const parsed = readGguf(encodeGguf({ metadata, tensors, alignment: 32 }));
    expect(parsed.magic).toBe('GGUF');
    expect(parsed.version).toBe(3);
    expect([...parsed.metadata.keys()]).toEqual([...metadata.keys()]);
    expect(parsed.metadata.get('a.u8')).toBe(200);
    expect(parsed.metadata.get('a.i32')).toBe(-7);
    expect(parsed.metadata.get('a.f32')).toBe(0.5);
    expect(parsed.metadata.get('a.u64')).toBe(2n ** 40n);
    expect(parsed.metadata.get('a.f64')).toBe(-1.25);
    expect(parsed.metadata.get('a.flag')).toBe(true);
    expect(parsed.metadata.get('a.names')).toEqual(['x', 'ünï', '']);
    expect(parsed.metadata.get('a.numbers')).toEqual([1, -2, 3]);
    expect(parsed.tensors.map((tensor) => [tensor.name, tensor.dimensions, tensor.type])).toEqual([
      ['first', [3], 0],
      ['second', [2, 2], 0],
    ]);
  });

  it('aligns the data section and each tensor, and stores the values as little-endian F32', () => {
    const bytes = encodeGguf({ metadata, tensors, alignment: 32 });
    const parsed = readGguf(bytes);
    expect(parsed.dataStart % 32).toBe(0);
    const [first, second] = parsed.tensors;
    expect(first?.offset).toBe(0);
    expect(second?.offset).toBe(32);
    expect(bytes.readFloatLE(parsed.dataStart + 8)).toBe(3);
    expect(bytes.readFloatLE(parsed.dataStart + 32 + 4)).toBe(0.25);
    expect(bytes.length).toBe(parsed.dataStart + 32 + 16);
  });

  it('rejects a tensor whose data does not match its dimensions', () => {
    expect(() =>
      encodeGguf({ metadata, tensors: [{ name: 'bad', dimensions: [2, 3], data: new Float32Array(5) }] }),
    ).toThrow(/bad/);
  });

  it('uses the type ids of the GGUF specification', () => {
    expect(ggufTypeIds).toMatchObject({ uint32: 4, float32: 6, string: 8, array: 9, uint64: 10 });
  });
});

describe('writeTinyLlamaGguf', () => {
  it('writes a ~0.5 MB llama model with a SentencePiece-style vocabulary and a chat template', async () => {
    const path = join(directory, 'tiny.gguf');
    await writeTinyLlamaGguf(path, { seed: 3 });
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(400_000);
    expect(bytes.length).toBeLessThan(700_000);
    const parsed = readGguf(bytes);
    expect(parsed.metadata.get('general.architecture')).toBe('llama');
    expect(parsed.metadata.get('llama.embedding_length')).toBe(tinyLlamaShape.embeddingLength);
    expect(parsed.metadata.get('llama.block_count')).toBe(2);
    const tokens = parsed.metadata.get('tokenizer.ggml.tokens') as string[];
    expect(tokens).toHaveLength(354);
    expect(tokens[tinyLlamaByteTokenId(0x80)]).toBe('<0x80>');
    expect((parsed.metadata.get('tokenizer.ggml.token_type') as number[])[tinyLlamaByteTokenId(0xff)]).toBe(6);
    expect(parsed.metadata.get('tokenizer.chat_template')).toContain('add_generation_prompt');
    expect(parsed.tensors).toHaveLength(3 + 2 * 9);
    expect(parsed.tensors.find((tensor) => tensor.name === 'blk.1.ffn_down.weight')?.dimensions).toEqual([128, 64]);
    const last = parsed.tensors.at(-1);
    expect(bytes.length).toBe(
      parsed.dataStart + (last?.offset ?? 0) + 4 * (last?.dimensions ?? []).reduce((a, b) => a * b),
    );
  });

  it('gives the same bytes for the same seed and different weights for another seed', async () => {
    await writeTinyLlamaGguf(join(directory, 'a.gguf'), { seed: 5 });
    await writeTinyLlamaGguf(join(directory, 'b.gguf'), { seed: 5 });
    await writeTinyLlamaGguf(join(directory, 'c.gguf'), { seed: 6 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => readFile(join(directory, `${name}.gguf`))));
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
    expect(tinyLlamaVocabulary().tokens).toContain('\u2581');
  });
});
