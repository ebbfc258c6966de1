// Checks the matmul kernels (WebAssembly SIMD and TypeScript) against a naive triple loop, edges included.
import { afterAll, describe, expect, it } from 'vitest';
import {
  attentionBackward,
  attentionForward,
  kernelBackend,
  matmul,
  matmulTransposed,
  matmulTransposedAAccumulate,
  setKernelBackend,
} from './kernels.js';
import { matmulModuleBytes, webAssemblyApi } from './wasm-matmul.js';

const initial = kernelBackend();
afterAll(() => setKernelBackend(initial));

let seed = 1;
const random = (size: number): Float32Array =>
  Float32Array.from({ length: size }, () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  });

/** Reference: out[i, j] = Σ_p A(i, p) · B(p, j) with accessor functions, in float64. */
function naive(
  m: number,
  k: number,
  n: number,
  left: (i: number, p: number) => number,
  right: (p: number, j: number) => number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j]! += left(i, p) * right(p, j);
  return out;
}

function expectClose(actual: Float32Array, expected: Float64Array): void {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(1e-4);
}

// 4×8 tiles with edges: rows and columns that are not multiples of 4 and 8, and sizes the model uses
const shapes: Array<[number, number, number]> = [
  [1, 1, 1],
  [5, 3, 7],
  [4, 8, 8],
  [13, 17, 29],
  [64, 64, 192],
  [130, 48, 256],
];

describe.each(['wasm-simd', 'typescript'] as const)('tinygpt matmul kernels (%s)', (backend) => {
  it('runs on this backend (WebAssembly SIMD is expected on Node 20)', () => {
    expect(setKernelBackend(backend)).toBe(true);
  });

  it.each(shapes)('a·bᵀ, a·b and aᵀ·b match a naive loop at %i×%i×%i', (m, k, n) => {
    setKernelBackend(backend);
    const a = random(m * k);
    const bt = random(n * k);
    const b = random(k * n);
    const out = new Float32Array(m * n).fill(Number.NaN); // stale values must not leak in
    matmulTransposed(out, a, bt, m, k, n);
    expectClose(
      out,
      naive(
        m,
        k,
        n,
        (i, p) => a[i * k + p]!,
        (p, j) => bt[j * k + p]!,
      ),
    );
    matmul(out, a, b, m, k, n);
    expectClose(
      out,
      naive(
        m,
        k,
        n,
        (i, p) => a[i * k + p]!,
        (p, j) => b[p * n + j]!,
      ),
    );
    // weight-gradient form: out[k×n] += aᵀ[k×m] · g[m×n]
    const g = random(m * n);
    const start = random(k * n);
    const gradient = start.slice();
    matmulTransposedAAccumulate(gradient, a, g, m, k, n);
    const expected = naive(
      k,
      m,
      n,
      (i, p) => a[p * k + i]!,
      (p, j) => g[p * n + j]!,
    ).map((value, index) => value + start[index]!);
    expectClose(gradient, expected);
    // accumulate adds onto what is there
    const twice = new Float32Array(m * n);
    matmulTransposed(twice, a, bt, m, k, n);
    matmulTransposed(twice, a, bt, m, k, n, true);
    expectClose(
      twice,
      naive(
        m,
        k,
        n,
        (i, p) => 2 * a[i * k + p]!,
        (p, j) => bt[j * k + p]!,
      ),
    );
  });
});

/** Reference causal attention, straight from the definition: softmax over j ≤ i of q_i·k_j/√d, then Σ p·v_j. */
function naiveAttention(
  qkv: Float32Array,
  batch: number,
  length: number,
  heads: number,
  headSize: number,
): Float64Array {
  const width = heads * headSize;
  const out = new Float64Array(batch * length * width);
  const at = (b: number, t: number, part: number, h: number, d: number) =>
    qkv[(b * length + t) * 3 * width + part * width + h * headSize + d]!;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < length; i++) {
        const scores = Array.from({ length: i + 1 }, (_, j) => {
          let dot = 0;
          for (let d = 0; d < headSize; d++) dot += at(b, i, 0, h, d) * at(b, j, 1, h, d);
          return Math.exp(dot / Math.sqrt(headSize));
        });
        const total = scores.reduce((sum, value) => sum + value, 0);
        for (let d = 0; d < headSize; d++) {
          let value = 0;
          for (let j = 0; j <= i; j++) value += (scores[j]! / total) * at(b, j, 2, h, d);
          out[(b * length + i) * width + h * headSize + d] = value;
        }
      }
    }
  }
  return out;
}

describe('tinygpt causal attention', () => {
  const shape = { batch: 2, length: 13, heads: 3, headSize: 8 };
  const width = shape.heads * shape.headSize;
  const rows = shape.batch * shape.length;
  const qkv = random(rows * 3 * width).map((value) => 4 * value);
  const outGrad = random(rows * width);
  const gradients: Float32Array[] = [];

  it.each(['wasm-simd', 'typescript'] as const)('matches the definition and agrees across backends (%s)', (backend) => {
    setKernelBackend(backend);
    const out = new Float32Array(rows * width);
    const probabilities = new Float32Array(shape.batch * shape.heads * shape.length ** 2).fill(Number.NaN);
    attentionForward(out, probabilities, qkv, shape);
    expectClose(out, naiveAttention(qkv, shape.batch, shape.length, shape.heads, shape.headSize));
    expect(probabilities[1]).toBe(0); // row 0 attends to position 0 only
    const qkvGrad = new Float32Array(rows * 3 * width).fill(Number.NaN);
    attentionBackward(qkvGrad, outGrad, probabilities, qkv, shape);
    expect(qkvGrad.every(Number.isFinite)).toBe(true);
    gradients.push(qkvGrad);
    if (gradients.length === 2) expectClose(gradients[0]!, Float64Array.from(gradients[1]!));
  });
});

describe('tinygpt WebAssembly module', () => {
  it('is a valid module that uses SIMD', () => {
    const bytes = matmulModuleBytes();
    expect(webAssemblyApi()?.validate(bytes)).toBe(true);
    expect(bytes.includes(0xfd)).toBe(true);
    expect(bytes.length).toBeLessThan(2000);
  });
});
