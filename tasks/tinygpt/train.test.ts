// Checks train.ts by hand-derived gradients against finite differences, plus overfitting, determinism and bad settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attentionBackward, attentionForward } from './kernels.js';
import {
  type Config,
  configProblems,
  createModel,
  createRandom,
  crossEntropy,
  defaultHyperparameters,
  embeddingBackward,
  embeddingForward,
  forward,
  geluBackward,
  geluForward,
  type Hyperparameters,
  layerNormBackward,
  layerNormForward,
  learningRateMultiplier,
  linearBackward,
  linearForward,
  loadModel,
  lossAndBackward,
  saveModel,
  train,
} from './train.js';

const random = createRandom(7);
const randomArray = (size: number, scale = 1): Float32Array =>
  Float32Array.from({ length: size }, () => scale * random.normal());
const randomBytes = (size: number): Uint8Array =>
  Uint8Array.from({ length: size }, () => Math.floor(random.uniform() * 256));

/** Σ out · weights, accumulated in float64: the scalar whose gradient each check compares. */
function project(out: Float32Array, weights: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * weights[i]!;
  return sum;
}

/**
 * Compares `analytic` with five-point central differences of `loss` with respect to `input` (float32, so a
 * loose tolerance on the relative error of the whole vector: ‖a − n‖ / (‖a‖ + ‖n‖) < 1%).
 */
function expectGradient(
  loss: () => number,
  input: Float32Array,
  analytic: Float32Array,
  epsilon = 1e-2,
  label = '',
): void {
  const numeric = new Float32Array(input.length);
  const at = (index: number, value: number): number => {
    input[index] = value;
    return loss();
  };
  for (let i = 0; i < input.length; i++) {
    const saved = input[i]!;
    const near = at(i, saved + epsilon) - at(i, saved - epsilon);
    const far = at(i, saved + 2 * epsilon) - at(i, saved - 2 * epsilon);
    input[i] = saved;
    numeric[i] = (8 * near - far) / (12 * epsilon);
  }
  let difference = 0;
  let size = 0;
  for (let i = 0; i < input.length; i++) {
    difference += (analytic[i]! - numeric[i]!) ** 2;
    size += analytic[i]! ** 2 + numeric[i]! ** 2;
  }
  expect(Math.sqrt(size)).toBeGreaterThan(1e-6); // a zero gradient would pass trivially
  expect(Math.sqrt(difference) / Math.sqrt(size), label).toBeLessThan(1e-2);
}

describe('tinygpt layer gradients match finite differences', () => {
  it('linear: input and weight', () => {
    const [rows, inputs, outputs] = [5, 6, 7];
    const x = randomArray(rows * inputs);
    const w = randomArray(outputs * inputs);
    const g = randomArray(rows * outputs);
    const y = new Float32Array(rows * outputs);
    const dx = new Float32Array(rows * inputs);
    const dw = new Float32Array(outputs * inputs);
    linearBackward(dx, dw, g, x, w, rows, inputs, outputs);
    const loss = () => {
      linearForward(y, x, w, rows, inputs, outputs);
      return project(y, g);
    };
    expectGradient(loss, x, dx);
    expectGradient(loss, w, dw);
  });

  it('layer norm: input, gain and bias', () => {
    const [rows, width] = [4, 8];
    const x = randomArray(rows * width);
    const gain = randomArray(width);
    const bias = randomArray(width);
    const g = randomArray(rows * width);
    const y = new Float32Array(rows * width);
    const mean = new Float32Array(rows);
    const rstd = new Float32Array(rows);
    layerNormForward(y, mean, rstd, x, gain, bias, rows, width);
    const dx = new Float32Array(rows * width);
    const dGain = new Float32Array(width);
    const dBias = new Float32Array(width);
    layerNormBackward(dx, dGain, dBias, g, x, mean, rstd, gain, rows, width);
    const loss = () => {
      layerNormForward(y, mean, rstd, x, gain, bias, rows, width);
      return project(y, g);
    };
    expectGradient(loss, x, dx);
    expectGradient(loss, gain, dGain);
    expectGradient(loss, bias, dBias);
  });

  it('GELU', () => {
    const x = randomArray(40, 2);
    const g = randomArray(40);
    const y = new Float32Array(40);
    const tanh = new Float32Array(40);
    const dx = new Float32Array(40);
    geluForward(y, tanh, x, 40);
    geluBackward(dx, g, x, tanh, 40);
    const loss = () => {
      geluForward(y, tanh, x, 40);
      return project(y, g);
    };
    expectGradient(loss, x, dx);
  });

  it('token and position embeddings', () => {
    const [batch, length, width] = [2, 3, 4];
    const tokens = Uint8Array.from([1, 5, 1, 200, 5, 0]);
    const tokenTable = randomArray(256 * width);
    const positionTable = randomArray(length * width);
    const g = randomArray(batch * length * width);
    const y = new Float32Array(batch * length * width);
    const dToken = new Float32Array(256 * width);
    const dPosition = new Float32Array(length * width);
    embeddingBackward(dToken, dPosition, g, tokens, batch, length, width);
    const loss = () => {
      embeddingForward(y, tokens, tokenTable, positionTable, batch, length, width);
      return project(y, g);
    };
    expectGradient(loss, tokenTable, dToken);
    expectGradient(loss, positionTable, dPosition);
  });

  it('softmax cross-entropy', () => {
    const rows = 3;
    const logits = randomArray(rows * 256, 2);
    const targets = Uint8Array.from([3, 250, 3]);
    const dLogits = new Float32Array(rows * 256);
    crossEntropy(dLogits, logits, targets, rows);
    const scratch = new Float32Array(rows * 256);
    expectGradient(() => crossEntropy(scratch, logits, targets, rows), logits, dLogits);
  });

  it('causal self-attention: queries, keys and values', () => {
    const shape = { batch: 2, length: 5, heads: 2, headSize: 3 };
    const width = shape.heads * shape.headSize;
    const rows = shape.batch * shape.length;
    const qkv = randomArray(rows * 3 * width);
    const g = randomArray(rows * width);
    const out = new Float32Array(rows * width);
    const probabilities = new Float32Array(shape.batch * shape.heads * shape.length ** 2);
    attentionForward(out, probabilities, qkv, shape);
    const dQkv = new Float32Array(rows * 3 * width);
    attentionBackward(dQkv, g, probabilities, qkv, shape);
    expectGradient(
      () => {
        attentionForward(out, probabilities, qkv, shape);
        return project(out, g);
      },
      qkv,
      dQkv,
    );
  });

  it('the whole model: every parameter tensor', () => {
    const config: Config = { depth: 2, width: 8, heads: 2, mlpRatio: 2, seqLen: 4 };
    const model = createModel(config, 3);
    for (const parameter of model.parameters) {
      for (let i = 0; i < parameter.data.length; i++) parameter.data[i]! += 0.1 * random.normal();
    }
    const [batch, length] = [2, 4];
    const tokens = randomBytes(batch * length);
    const targets = randomBytes(batch * length);
    lossAndBackward(model, tokens, targets, batch, length);
    const scratch = new Float32Array(batch * length * 256);
    const loss = () => crossEntropy(scratch, forward(model, tokens, batch, length).logits, targets, batch * length);
    for (const parameter of model.parameters) {
      // a sample of coordinates keeps this fast; embeddings: only the rows these tokens touch
      const indices =
        parameter.name === 'token_embedding' ? [...tokens].slice(0, 3).map((t) => t * 8 + 1) : [0, 1, 2, 3, 5, 7];
      const values = Float32Array.from(indices, (i) => parameter.data[i]!);
      const sampled = () => {
        indices.forEach((index, k) => {
          parameter.data[index] = values[k]!;
        });
        return loss();
      };
      const analytic = Float32Array.from(indices, (i) => parameter.grad[i]!);
      expect(
        analytic.some((value) => value !== 0),
        parameter.name,
      ).toBe(true);
      // the helper nudges `values`, which `sampled` copies into the parameter before each loss
      expectGradient(sampled, values, analytic, 1e-2, parameter.name);
      sampled(); // puts the last nudged entry back before the next tensor is checked
    }
  });
});

const tiny: Config = { depth: 1, width: 16, heads: 2, mlpRatio: 2, seqLen: 16 };
const tinyHyper: Hyperparameters = {
  ...defaultHyperparameters,
  batchSize: 2,
  warmupRatio: 0,
  warmdownRatio: 0,
  gradClip: 0,
};
const text = new TextEncoder().encode('the quick brown fox jumps over the lazy dog. '.repeat(40));

describe('tinygpt training', () => {
  it('overfits one repeated sentence: the loss falls far below its start', () => {
    const result = train({
      config: tiny,
      hyper: { ...tinyHyper, learningRate: 0.01, embeddingLr: 0.03 },
      seed: 1,
      data: text,
      steps: 150,
    });
    const first = result.losses[0]!;
    const last = result.losses.slice(-10).reduce((sum, loss) => sum + loss, 0) / 10;
    expect(first).toBeGreaterThan(5); // ≈ ln 256 at initialization
    expect(last).toBeLessThan(0.25 * first);
  });

  it('is deterministic: same seed and steps give identical losses; another seed differs', () => {
    const options = { config: tiny, hyper: { ...defaultHyperparameters, batchSize: 2 }, data: text, steps: 8 };
    const first = train({ ...options, seed: 5 }).losses;
    const second = train({ ...options, seed: 5 }).losses;
    const other = train({ ...options, seed: 6 }).losses;
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('saves the trained model and loads it back: the served model gives the same logits', () => {
    const result = train({ config: tiny, hyper: { ...tinyHyper }, seed: 3, data: text, steps: 5 });
    const folder = mkdtempSync(join(tmpdir(), 'tinygpt-model-'));
    try {
      saveModel(result.model, join(folder, 'model.bin'));
      const loaded = loadModel(join(folder, 'model.bin'));
      const tokens = text.subarray(0, 2 * tiny.seqLen);
      expect(forward(loaded, tokens, 2, tiny.seqLen).logits).toEqual(
        forward(result.model, tokens, 2, tiny.seqLen).logits,
      );
      expect(loaded.config).toEqual(result.model.config);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rejects bad settings at once, with the reason', () => {
    expect(configProblems({ ...tiny, width: 18, heads: 4 }, tinyHyper)).toContain(
      'WIDTH (18) must be divisible by HEADS (4)',
    );
    expect(configProblems({ ...tiny, depth: 1.5 }, tinyHyper).join()).toMatch(/depth must be a whole number/);
    expect(configProblems(tiny, { ...tinyHyper, warmupRatio: 0.6, warmdownRatio: 0.6 }).join()).toMatch(/at most 1/);
    expect(() => train({ config: { ...tiny, heads: 3 }, hyper: tinyHyper, seed: 1, data: text, steps: 1 })).toThrow(
      /divisible/,
    );
  });

  it('schedules the learning rate: warmup, flat, warmdown to the final fraction', () => {
    const hyper = { ...defaultHyperparameters, warmupRatio: 0.1, warmdownRatio: 0.5, finalLrFrac: 0.2 };
    expect(learningRateMultiplier(0.05, hyper)).toBeCloseTo(0.5);
    expect(learningRateMultiplier(0.3, hyper)).toBe(1);
    expect(learningRateMultiplier(0.75, hyper)).toBeCloseTo(0.6);
    expect(learningRateMultiplier(1, hyper)).toBeCloseTo(0.2);
  });
});
