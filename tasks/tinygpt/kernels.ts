// tinygpt's compute kernels (protected, like PyTorch under train.py): matmuls and causal attention on Float32Array.
//
// Every kernel takes only Float32Array and plain integers, so V8 keeps each call site monomorphic. Matrices
// are row-major. Matmuls run on a WebAssembly SIMD kernel (wasm-matmul.ts) where the runtime has one, and on
// a TypeScript kernel otherwise (the dot-product form `a · bᵀ` in 4×2 register tiles, operands transposed into
// scratch first). Measured numbers and the reasons for this layout: docs/decisions/0002-tinygpt-kernels.md.
import { createWasmMatmul } from './wasm-matmul.js';

const wasm = createWasmMatmul();
let useWasm = wasm !== undefined;

/** Which matmul kernel runs: `wasm-simd` where available, else `typescript`. */
export function kernelBackend(): 'wasm-simd' | 'typescript' {
  return useWasm ? 'wasm-simd' : 'typescript';
}

/** Chooses the matmul kernel (for benchmarks and tests); returns false when WebAssembly SIMD is missing. */
export function setKernelBackend(backend: 'wasm-simd' | 'typescript'): boolean {
  useWasm = backend === 'wasm-simd' && wasm !== undefined;
  return kernelBackend() === backend;
}

let scratchA = new Float32Array(0);
let scratchB = new Float32Array(0);

function scratch(which: 'a' | 'b', size: number): Float32Array {
  if (which === 'a') {
    if (scratchA.length < size) scratchA = new Float32Array(size);
    return scratchA;
  }
  if (scratchB.length < size) scratchB = new Float32Array(size);
  return scratchB;
}

/** out[cols×rows] = input[rows×cols]ᵀ. */
export function transpose(out: Float32Array, input: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = input[base + c]!;
  }
}

/**
 * TypeScript kernel: out[m×n] = a[m×k] · b[n×k]ᵀ, or out += … when `accumulate` is true.
 * The dot-product form: both operands are read along contiguous rows.
 */
export function dotTransposed(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  if (!accumulate) out.fill(0, 0, m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = b[b0 + p]!;
        const x1 = b[b1 + p]!;
        const y0 = a[a0 + p]!;
        const y1 = a[a1 + p]!;
        const y2 = a[a2 + p]!;
        const y3 = a[a3 + p]!;
        s00 += y0 * x0;
        s01 += y0 * x1;
        s10 += y1 * x0;
        s11 += y1 * x1;
        s20 += y2 * x0;
        s21 += y2 * x1;
        s30 += y3 * x0;
        s31 += y3 * x1;
      }
      out[o0 + j]! += s00;
      out[o0 + j + 1]! += s01;
      out[o1 + j]! += s10;
      out[o1 + j + 1]! += s11;
      out[o2 + j]! += s20;
      out[o2 + j + 1]! += s21;
      out[o3 + j]! += s30;
      out[o3 + j + 1]! += s31;
    }
    for (; j < n; j++) {
      const b0 = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const x = b[b0 + p]!;
        s0 += a[a0 + p]! * x;
        s1 += a[a1 + p]! * x;
        s2 += a[a2 + p]! * x;
        s3 += a[a3 + p]! * x;
      }
      out[o0 + j]! += s0;
      out[o1 + j]! += s1;
      out[o2 + j]! += s2;
      out[o3 + j]! += s3;
    }
  }
  for (; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[a0 + p]! * b[b0 + p]!;
      out[i * n + j]! += sum;
    }
  }
}

/**
 * The WebAssembly path: out[m×n] (+)= A·B with A = a[m×k] (or aᵀ when `aTransposed`, a being [k×m]) and
 * B = b[k×n] (or bᵀ when `bTransposed`, b being [n×k]). Operands are copied (transposed where needed) into
 * WebAssembly memory; the kernel fills the full 4×8 tiles and the edge rows and columns are finished here.
 */
function wasmGemm(
  kernel: NonNullable<typeof wasm>,
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate: boolean,
  aTransposed: boolean,
  bTransposed: boolean,
): void {
  const bOffset = m * k;
  const cOffset = bOffset + k * n;
  kernel.reserve(cOffset + m * n);
  const heap = kernel.heap();
  if (aTransposed) transpose(heap.subarray(0, m * k), a, k, m);
  else heap.set(a.subarray(0, m * k), 0);
  if (bTransposed) transpose(heap.subarray(bOffset, cOffset), b, n, k);
  else heap.set(b.subarray(0, k * n), bOffset);
  if (accumulate) heap.set(out.subarray(0, m * n), cOffset);
  const rows = m - (m % 4);
  const cols = n - (n % 8);
  kernel.run(0, bOffset * 4, cOffset * 4, rows, k, cols, n, accumulate ? 1 : 0);
  out.set(heap.subarray(cOffset, cOffset + m * n), 0);
  for (let i = 0; i < m; i++) {
    for (let j = i < rows ? cols : 0; j < n; j++) {
      let sum = accumulate ? out[i * n + j]! : 0;
      for (let p = 0; p < k; p++) sum += heap[i * k + p]! * heap[bOffset + p * n + j]!;
      out[i * n + j] = sum;
    }
  }
}

/** out[m×n] = a[m×k] · b[n×k]ᵀ, or out += … when `accumulate` is true (the forward pass of a linear layer). */
export function matmulTransposed(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  if (useWasm && wasm) wasmGemm(wasm, out, a, b, m, k, n, accumulate, false, true);
  else dotTransposed(out, a, b, m, k, n, accumulate);
}

/** out[m×n] = a[m×k] · b[k×n] (the input gradient of a linear layer). */
export function matmul(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
  if (useWasm && wasm) {
    wasmGemm(wasm, out, a, b, m, k, n, false, false, false);
    return;
  }
  const bTransposed = scratch('b', k * n);
  transpose(bTransposed, b, k, n);
  dotTransposed(out, a, bTransposed, m, k, n);
}

/** out[k×n] += a[m×k]ᵀ · b[m×n] (the weight gradient of a linear layer). */
export function matmulTransposedAAccumulate(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  if (useWasm && wasm) {
    wasmGemm(wasm, out, a, b, k, m, n, true, true, false);
    return;
  }
  const aTransposed = scratch('a', m * k);
  const bTransposed = scratch('b', m * n);
  transpose(aTransposed, a, m, k);
  transpose(bTransposed, b, m, n);
  dotTransposed(out, aTransposed, bTransposed, k, m, n, true);
}

/** Shape of a causal self-attention call: `batch` sequences of `length` positions, `heads` heads of `headSize`. */
export interface AttentionShape {
  batch: number;
  length: number;
  heads: number;
  headSize: number;
}

const pool = new Map<string, Float32Array>();

/** A reused buffer per purpose, grown on demand (attention's per-head operands). */
function buffer(name: string, size: number): Float32Array {
  let values = pool.get(name);
  if (!values || values.length < size) {
    values = new Float32Array(size);
    pool.set(name, values);
  }
  return values;
}

/** Copies head `h`'s columns of part `part` (0 queries, 1 keys, 2 values) of sequence `b` into [length × headSize]. */
function gather(
  target: Float32Array,
  qkv: Float32Array,
  shape: AttentionShape,
  b: number,
  h: number,
  part: number,
): void {
  const { length, heads, headSize } = shape;
  const row = 3 * heads * headSize;
  const column = part * heads * headSize + h * headSize;
  for (let t = 0; t < length; t++) {
    const from = (b * length + t) * row + column;
    for (let d = 0; d < headSize; d++) target[t * headSize + d] = qkv[from + d]!;
  }
}

/** Adds (or writes) [length × headSize] back into head `h`'s columns of a row-major matrix of `rowWidth` columns. */
function scatter(
  target: Float32Array,
  source: Float32Array,
  shape: AttentionShape,
  b: number,
  column: number,
  rowWidth: number,
): void {
  const { length, headSize } = shape;
  for (let t = 0; t < length; t++) {
    const to = (b * length + t) * rowWidth + column;
    for (let d = 0; d < headSize; d++) target[to + d] = source[t * headSize + d]!;
  }
}

/**
 * Causal self-attention forward. `qkv` is [batch·length × 3·width] (queries, keys, values side by side,
 * head h at columns h·headSize), `out` is [batch·length × width], `probabilities` receives the softmax
 * weights [batch × heads × length × length] (upper triangle zero) for the backward pass. Per sequence and
 * head: S = Q·Kᵀ/√d on the matmul kernel, a causal softmax, then O = P·V.
 */
export function attentionForward(
  out: Float32Array,
  probabilities: Float32Array,
  qkv: Float32Array,
  shape: AttentionShape,
): void {
  const { batch, length, heads, headSize } = shape;
  const width = heads * headSize;
  const scale = 1 / Math.sqrt(headSize);
  const q = buffer('q', length * headSize);
  const k = buffer('k', length * headSize);
  const v = buffer('v', length * headSize);
  const o = buffer('o', length * headSize);
  const scores = buffer('scores', length * length);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      gather(q, qkv, shape, b, h, 0);
      gather(k, qkv, shape, b, h, 1);
      gather(v, qkv, shape, b, h, 2);
      matmulTransposed(scores, q, k, length, headSize, length);
      const plane = (b * heads + h) * length * length;
      for (let i = 0; i < length; i++) {
        const row = i * length;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) max = Math.max(max, scores[row + j]! * scale);
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(scores[row + j]! * scale - max);
          scores[row + j] = e;
          sum += e;
        }
        const inverse = 1 / sum;
        for (let j = 0; j <= i; j++) scores[row + j]! *= inverse;
        for (let j = i + 1; j < length; j++) scores[row + j] = 0;
      }
      probabilities.set(scores.subarray(0, length * length), plane);
      matmul(o, scores, v, length, length, headSize);
      scatter(out, o, shape, b, h * headSize, width);
    }
  }
}

/**
 * Causal self-attention backward: from `outGrad` [batch·length × width] and the forward's inputs, writes
 * (overwrites) `qkvGrad` [batch·length × 3·width]. Per head: dP = dO·Vᵀ, dV = Pᵀ·dO,
 * dS = P ⊙ (dP − rowsum(P ⊙ dP)) / √d, dQ = dS·K, dK = dSᵀ·Q.
 */
export function attentionBackward(
  qkvGrad: Float32Array,
  outGrad: Float32Array,
  probabilities: Float32Array,
  qkv: Float32Array,
  shape: AttentionShape,
): void {
  const { batch, length, heads, headSize } = shape;
  const width = heads * headSize;
  const scale = 1 / Math.sqrt(headSize);
  const q = buffer('q', length * headSize);
  const k = buffer('k', length * headSize);
  const v = buffer('v', length * headSize);
  const dO = buffer('o', length * headSize);
  const dQ = buffer('dq', length * headSize);
  const dK = buffer('dk', length * headSize);
  const dV = buffer('dv', length * headSize);
  const dScores = buffer('scores', length * length);
  const p = buffer('p', length * length);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      gather(q, qkv, shape, b, h, 0);
      gather(k, qkv, shape, b, h, 1);
      gather(v, qkv, shape, b, h, 2);
      for (let t = 0; t < length; t++) {
        const from = (b * length + t) * width + h * headSize;
        for (let d = 0; d < headSize; d++) dO[t * headSize + d] = outGrad[from + d]!;
      }
      const plane = (b * heads + h) * length * length;
      p.set(probabilities.subarray(plane, plane + length * length));
      matmulTransposed(dScores, dO, v, length, headSize, length);
      dV.fill(0, 0, length * headSize);
      matmulTransposedAAccumulate(dV, p, dO, length, length, headSize);
      for (let i = 0; i < length; i++) {
        const row = i * length;
        let weighted = 0;
        for (let j = 0; j <= i; j++) weighted += p[row + j]! * dScores[row + j]!;
        for (let j = 0; j <= i; j++) dScores[row + j] = p[row + j]! * (dScores[row + j]! - weighted) * scale;
        for (let j = i + 1; j < length; j++) dScores[row + j] = 0;
      }
      matmul(dQ, dScores, k, length, length, headSize);
      dK.fill(0, 0, length * headSize);
      matmulTransposedAAccumulate(dK, dScores, q, length, length, headSize);
      scatter(qkvGrad, dQ, shape, b, h * headSize, 3 * width);
      scatter(qkvGrad, dK, shape, b, width + h * headSize, 3 * width);
      scatter(qkvGrad, dV, shape, b, 2 * width + h * headSize, 3 * width);
    }
  }
}
