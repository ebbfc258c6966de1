// tinygpt's WebAssembly SIMD matmul (protected): a 4×8 register-tiled C (+)= A·B, assembled here byte by byte.
//
// No toolchain is needed: the module is about 700 bytes, written with the few opcodes below. Each step of the
// inner loop loads one 8-wide row slice of B (two f32x4), broadcasts four values of A, and updates eight
// f32x4 accumulators that stay in registers: 64 flops per 2 vector loads. Rows and columns past the last
// full tile are left untouched; the caller (kernels.ts) finishes them in TypeScript.

/** C[m×n] (+)= A[m×k] · B[k×n] over the full 4×8 tiles, on Float32Arrays in one WebAssembly memory. */
export interface WasmMatmul {
  /** Floats of WebAssembly memory, grown on demand; re-read after `reserve` (growth replaces the buffer). */
  heap(): Float32Array;
  /** Makes room for `floats` floats. */
  reserve(floats: number): void;
  /**
   * Byte offsets `a`, `b`, `c` into the heap; `rows` (a multiple of 4) and `cols` (a multiple of 8) are the
   * tiled extent, `stride` is the row length of B and C; `accumulate` 1 adds into C, 0 overwrites.
   */
  run(
    a: number,
    b: number,
    c: number,
    rows: number,
    depth: number,
    cols: number,
    stride: number,
    accumulate: number,
  ): void;
}

const unsigned = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
};
const signed = (value: number): number[] => {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...unsigned(body.length), ...body];
const name = (text: string): number[] => [...unsigned(text.length), ...[...text].map((char) => char.charCodeAt(0))];

// opcodes
const get = (index: number) => [0x20, ...unsigned(index)];
const set = (index: number) => [0x21, ...unsigned(index)];
const i32 = (value: number) => [0x41, ...signed(value)];
const ADD = 0x6a;
const MUL = 0x6c;
const SHL = 0x74;
const GE_U = 0x4f;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const ELSE = 0x05;
const END = 0x0b;
const brIf = (depth: number) => [0x0d, ...unsigned(depth)];
const br = (depth: number) => [0x0c, ...unsigned(depth)];
const f32Load = [0x2a, 2, 0];
const v128Load = (offset: number) => [0xfd, 0x00, 2, ...unsigned(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 2, ...unsigned(offset)];
const SPLAT = [0xfd, 0x13];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const F32_ZERO = [0x43, 0, 0, 0, 0];

// locals: parameters, then i32 work variables, then v128 accumulators
const [A, B, C, ROWS, DEPTH, COLS, STRIDE, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [I, J, P, A0, A1, A2, A3, BP, CP, K4, N4, ROW_A, ROW_C] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const S = (row: number, half: number) => 21 + row * 2 + half;
const [B0, B1, AV] = [29, 30, 31];
const aPointers = [A0, A1, A2, A3];

/** Address of row `row` of the C tile: cp + row·n4. */
const cRow = (row: number) => [...get(CP), ...get(N4), ...i32(row), MUL, ADD];

function kernelBody(): number[] {
  const loadTile: number[] = [];
  const zeroTile: number[] = [];
  const storeTile: number[] = [];
  for (let row = 0; row < 4; row++) {
    for (let half = 0; half < 2; half++) {
      loadTile.push(...cRow(row), ...v128Load(half * 16), ...set(S(row, half)));
      zeroTile.push(...F32_ZERO, ...SPLAT, ...set(S(row, half)));
      storeTile.push(...cRow(row), ...get(S(row, half)), ...v128Store(half * 16));
    }
  }
  const step: number[] = [...get(BP), ...v128Load(0), ...set(B0), ...get(BP), ...v128Load(16), ...set(B1)];
  for (let row = 0; row < 4; row++) {
    step.push(...get(aPointers[row]!), ...f32Load, ...SPLAT, ...set(AV));
    for (let half = 0; half < 2; half++) {
      step.push(
        ...get(S(row, half)),
        ...get(AV),
        ...get(half === 0 ? B0 : B1),
        ...F32X4_MUL,
        ...F32X4_ADD,
        ...set(S(row, half)),
      );
    }
  }
  for (const pointer of aPointers) step.push(...get(pointer), ...i32(4), ADD, ...set(pointer));
  step.push(...get(BP), ...get(N4), ADD, ...set(BP), ...get(P), ...i32(1), ADD, ...set(P));

  const code = [
    ...get(DEPTH),
    ...i32(2),
    SHL,
    ...set(K4),
    ...get(STRIDE),
    ...i32(2),
    SHL,
    ...set(N4),
    ...i32(0),
    ...set(I),
    ...BLOCK,
    ...LOOP,
    ...get(I),
    ...get(ROWS),
    GE_U,
    ...brIf(1),
    ...get(A),
    ...get(I),
    ...get(K4),
    MUL,
    ADD,
    ...set(ROW_A),
    ...get(C),
    ...get(I),
    ...get(N4),
    MUL,
    ADD,
    ...set(ROW_C),
    ...i32(0),
    ...set(J),
    ...BLOCK,
    ...LOOP,
    ...get(J),
    ...get(COLS),
    GE_U,
    ...brIf(1),
    ...get(ROW_C),
    ...get(J),
    ...i32(2),
    SHL,
    ADD,
    ...set(CP),
    ...get(ACCUMULATE),
    ...IF,
    ...loadTile,
    ELSE,
    ...zeroTile,
    END,
    ...get(ROW_A),
    ...set(A0),
    ...get(A0),
    ...get(K4),
    ADD,
    ...set(A1),
    ...get(A1),
    ...get(K4),
    ADD,
    ...set(A2),
    ...get(A2),
    ...get(K4),
    ADD,
    ...set(A3),
    ...get(B),
    ...get(J),
    ...i32(2),
    SHL,
    ADD,
    ...set(BP),
    ...i32(0),
    ...set(P),
    ...BLOCK,
    ...LOOP,
    ...get(P),
    ...get(DEPTH),
    GE_U,
    ...brIf(1),
    ...step,
    ...br(0),
    END,
    END,
    ...storeTile,
    ...get(J),
    ...i32(8),
    ADD,
    ...set(J),
    ...br(0),
    END,
    END,
    ...get(I),
    ...i32(4),
    ADD,
    ...set(I),
    ...br(0),
    END,
    END,
    END,
  ];
  const locals = [2, 13, 0x7f, 11, 0x7b]; // 13 i32 work variables, 11 v128
  return [...unsigned(locals.length + code.length), ...locals, ...code];
}

/** The module: imports `env.memory`, exports `matmul(a, b, c, rows, depth, cols, stride, accumulate)`. */
export function matmulModuleBytes(): Uint8Array {
  const i32Type = 0x7f;
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 8, ...new Array(8).fill(i32Type), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('matmul'), 0x00, 0]),
    ...section(10, [1, ...kernelBody()]),
  ]);
}

/** The part of the WebAssembly JavaScript API used here (the project's type libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly API, when it has one. */
export function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** The kernel, or undefined where WebAssembly SIMD is not available (the caller then stays in TypeScript). */
export function createWasmMatmul(): WasmMatmul | undefined {
  const bytes = matmulModuleBytes();
  const api = webAssemblyApi();
  if (!api?.validate(bytes)) return undefined;
  const memory = new api.Memory({ initial: 16 });
  const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
  const matmul = instance.exports.matmul as (...args: number[]) => void;
  let heap = new Float32Array(memory.buffer);
  return {
    heap: () => heap,
    reserve(floats) {
      const missing = floats * 4 - memory.buffer.byteLength;
      if (missing > 0) {
        memory.grow(Math.ceil(missing / 65536));
        heap = new Float32Array(memory.buffer);
      }
    },
    run: (a, b, c, rows, depth, cols, stride, accumulate) => matmul(a, b, c, rows, depth, cols, stride, accumulate),
  };
}
