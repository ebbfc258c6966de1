// A GGUF v3 writer (header, key-values, tensor infos, aligned F32 tensor data), enough to build test models.
import { writeFile } from 'node:fs/promises';

/** Scalar value types of the GGUF key-value section. */
export type GgufScalarType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'bool'
  | 'string'
  | 'uint64'
  | 'int64'
  | 'float64';

/** One metadata value: a scalar, or a flat array of scalars of one type. */
export type GgufValue =
  | { type: Exclude<GgufScalarType, 'bool' | 'string'>; value: number | bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: GgufScalarType; value: readonly (number | bigint | boolean | string)[] };

/** One tensor, stored as F32 (ggml type 0). */
export interface GgufTensor {
  name: string;
  /** ggml order: the fastest-varying dimension first (ne0, ne1, …). */
  dimensions: readonly number[];
  /** Row-major in ggml order; length is the product of `dimensions`. */
  data: Float32Array;
}

export interface GgufFile {
  /** Key-value metadata, written in insertion order. */
  metadata: ReadonlyMap<string, GgufValue>;
  tensors: readonly GgufTensor[];
  /** Bytes; the data section and every tensor start on a multiple of it. Default 32 (GGUF's default). */
  alignment?: number;
}

/** GGUF value type ids, as in the GGUF specification. */
export const ggufTypeIds: Readonly<Record<GgufScalarType | 'array', number>> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

const ggmlTypeF32 = 0;

/** Appends little-endian values to a growing byte buffer. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = Buffer.alloc(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  scalar(type: GgufScalarType, value: number | bigint | boolean | string): void {
    if (type === 'string') {
      this.string(String(value));
      return;
    }
    const sizes: Record<Exclude<GgufScalarType, 'string'>, number> = {
      uint8: 1,
      int8: 1,
      bool: 1,
      uint16: 2,
      int16: 2,
      uint32: 4,
      int32: 4,
      float32: 4,
      uint64: 8,
      int64: 8,
      float64: 8,
    };
    const size = sizes[type];
    this.reserve(size);
    const at = this.length;
    const buffer = this.buffer;
    const number = typeof value === 'boolean' ? Number(value) : value;
    if (typeof number === 'string') throw new TypeError(`GGUF ${type} value must be a number, got a string`);
    if (type === 'uint8' || type === 'bool') buffer.writeUInt8(Number(number), at);
    else if (type === 'int8') buffer.writeInt8(Number(number), at);
    else if (type === 'uint16') buffer.writeUInt16LE(Number(number), at);
    else if (type === 'int16') buffer.writeInt16LE(Number(number), at);
    else if (type === 'uint32') buffer.writeUInt32LE(Number(number), at);
    else if (type === 'int32') buffer.writeInt32LE(Number(number), at);
    else if (type === 'float32') buffer.writeFloatLE(Number(number), at);
    else if (type === 'uint64') buffer.writeBigUInt64LE(BigInt(number), at);
    else if (type === 'int64') buffer.writeBigInt64LE(BigInt(number), at);
    else buffer.writeDoubleLE(Number(number), at);
    this.length += size;
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.scalar('uint64', bytes.length);
    this.bytes(bytes);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  padTo(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    this.reserve(padding);
    this.buffer.fill(0, this.length, this.length + padding);
    this.length += padding;
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/** Encodes a GGUF v3 file into bytes. */
export function encodeGguf(file: GgufFile): Buffer {
  const alignment = file.alignment ?? 32;
  const sink = new ByteSink();
  sink.bytes(Buffer.from('GGUF', 'ascii'));
  sink.scalar('uint32', 3);
  sink.scalar('uint64', file.tensors.length);
  sink.scalar('uint64', file.metadata.size);
  for (const [key, entry] of file.metadata) {
    sink.string(key);
    if (entry.type === 'array') {
      sink.scalar('uint32', ggufTypeIds.array);
      sink.scalar('uint32', ggufTypeIds[entry.itemType]);
      sink.scalar('uint64', entry.value.length);
      for (const item of entry.value) sink.scalar(entry.itemType, item);
    } else {
      sink.scalar('uint32', ggufTypeIds[entry.type]);
      sink.scalar(entry.type, entry.value);
    }
  }
  let dataOffset = 0;
  const offsets: number[] = [];
  for (const tensor of file.tensors) {
    const elements = tensor.dimensions.reduce((product, dimension) => product * dimension, 1);
    if (elements !== tensor.data.length) {
      throw new RangeError(`tensor ${tensor.name}: ${tensor.data.length} values for dimensions ${tensor.dimensions}`);
    }
    dataOffset = alignUp(dataOffset, alignment);
    offsets.push(dataOffset);
    sink.string(tensor.name);
    sink.scalar('uint32', tensor.dimensions.length);
    for (const dimension of tensor.dimensions) sink.scalar('uint64', dimension);
    sink.scalar('uint32', ggmlTypeF32);
    sink.scalar('uint64', dataOffset);
    dataOffset += tensor.data.byteLength;
  }
  sink.padTo(alignment);
  const dataStart = sink.length;
  file.tensors.forEach((tensor, index) => {
    const padding = dataStart + (offsets[index] ?? 0) - sink.length;
    sink.bytes(new Uint8Array(padding));
    const bytes = Buffer.alloc(tensor.data.byteLength);
    for (let element = 0; element < tensor.data.length; element++) {
      bytes.writeFloatLE(tensor.data[element] ?? 0, element * 4);
    }
    sink.bytes(bytes);
  });
  return sink.result();
}

/** Writes a GGUF v3 file to `path`. */
export async function writeGguf(path: string, file: GgufFile): Promise<void> {
  await writeFile(path, encodeGguf(file));
}
