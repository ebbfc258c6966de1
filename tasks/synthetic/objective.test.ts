import { describe, expect, it } from 'vitest';
import { evaluateObjective, noiseSd, type SyntheticConfig } from './objective.mjs';

const shipped: SyntheticConfig = {
  DEPTH: 8,
  HEAD_DIM: 128,
  WINDOW_PATTERN: 'SSSL',
  TOTAL_BATCH_SIZE: 2 ** 19,
  EMBEDDING_LR: 0.6,
  UNEMBEDDING_LR: 0.004,
  MATRIX_LR: 0.04,
  SCALAR_LR: 0.5,
  WEIGHT_DECAY: 0.2,
  ADAM_BETA1: 0.8,
  ADAM_BETA2: 0.95,
  WARMUP_RATIO: 0,
  WARMDOWN_RATIO: 0.5,
  FINAL_LR_FRAC: 0,
};

function valBpb(changes: Partial<SyntheticConfig>, seed = 0): number {
  const result = evaluateObjective({ ...shipped, ...changes }, { seed, budgetSeconds: 5 });
  if (result.status !== 'ok') throw new Error(`expected a score, got ${result.status}`);
  return result.valBpb;
}

function clean(changes: Partial<SyntheticConfig>): number {
  const result = evaluateObjective({ ...shipped, ...changes }, { seed: 0, budgetSeconds: 5 });
  if (result.status !== 'ok') throw new Error(`expected a score, got ${result.status}`);
  return result.cleanValBpb;
}

describe('synthetic objective', () => {
  it('scores the shipped constants at 1.10 ± 0.01 for every seed, with noise sd near 0.003', () => {
    const scores = Array.from({ length: 100 }, (_, seed) => valBpb({}, seed));
    for (const score of scores) expect(Math.abs(score - 1.1)).toBeLessThan(0.01);
    const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
    const sd = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (scores.length - 1));
    expect(mean).toBeCloseTo(1.1, 2);
    expect(sd).toBeGreaterThan(0.002);
    expect(sd).toBeLessThan(0.004);
    expect(noiseSd).toBe(0.003);
  });

  it('is deterministic for a seed and draws fresh noise for another seed or other constants', () => {
    expect(valBpb({}, 7)).toBe(valBpb({}, 7));
    expect(valBpb({}, 7)).not.toBe(valBpb({}, 8));
    expect(valBpb({ WEIGHT_DECAY: 0.2000001 }, 7) - valBpb({}, 7)).not.toBeCloseTo(0, 6);
  });

  it('gives the largest single gain for a smaller batch', () => {
    const base = clean({});
    const smallerBatch = base - clean({ TOTAL_BATCH_SIZE: 2 ** 17 });
    expect(smallerBatch).toBeGreaterThan(0.03);
    const otherSingleMoves: Partial<SyntheticConfig>[] = [
      { DEPTH: 9 },
      { DEPTH: 10 },
      { HEAD_DIM: 64 },
      { MATRIX_LR: 0.055 },
      { EMBEDDING_LR: 0.8 },
      { ADAM_BETA1: 0.85 },
      { WEIGHT_DECAY: 0.12 },
      { WARMDOWN_RATIO: 0.6 },
      { WINDOW_PATTERN: 'SSLL' },
      { TOTAL_BATCH_SIZE: 2 ** 20 },
    ];
    for (const move of otherSingleMoves) expect(base - clean(move)).toBeLessThan(smallerBatch / 5);
  });

  it('has interactions: the best learning rate falls with the batch size', () => {
    const lowLr = { MATRIX_LR: 0.025 };
    expect(clean(lowLr)).toBeGreaterThan(clean({}));
    expect(clean({ TOTAL_BATCH_SIZE: 2 ** 17, ...lowLr })).toBeLessThan(clean({ TOTAL_BATCH_SIZE: 2 ** 17 }));
  });

  it('reaches about 1.05 or lower with a smaller batch, more depth and retuned rates', () => {
    const tuned = clean({
      TOTAL_BATCH_SIZE: 2 ** 17,
      DEPTH: 10,
      MATRIX_LR: 0.024,
      EMBEDDING_LR: 0.55,
      ADAM_BETA1: 0.85,
      WEIGHT_DECAY: 0.12,
      WARMDOWN_RATIO: 0.6,
      FINAL_LR_FRAC: 0.05,
      WINDOW_PATTERN: 'SSLL',
    });
    expect(tuned).toBeLessThan(1.05);
    expect(tuned).toBeGreaterThan(1.04);
  });

  it('diverges when a learning rate is far too high, unless warmup stabilises it', () => {
    expect(evaluateObjective({ ...shipped, MATRIX_LR: 0.4 }, { seed: 0, budgetSeconds: 5 })).toMatchObject({
      status: 'diverged',
      cause: 'MATRIX_LR is too high',
    });
    expect(valBpb({ MATRIX_LR: 0.4, WARMUP_RATIO: 0.3 })).toBeGreaterThan(1.1);
    expect(valBpb({ MATRIX_LR: 0.2 })).toBeGreaterThan(1.1);
    expect(
      evaluateObjective({ ...shipped, MATRIX_LR: 0.2, TOTAL_BATCH_SIZE: 2 ** 16 }, { seed: 0, budgetSeconds: 5 })
        .status,
    ).toBe('diverged');
    expect(evaluateObjective({ ...shipped, ADAM_BETA2: 1 }, { seed: 0, budgetSeconds: 5 }).status).toBe('diverged');
  });

  it('runs out of memory when DEPTH × HEAD_DIM is too big', () => {
    expect(evaluateObjective({ ...shipped, DEPTH: 16 }, { seed: 0, budgetSeconds: 5 }).status).toBe('oom');
    expect(evaluateObjective({ ...shipped, HEAD_DIM: 256 }, { seed: 0, budgetSeconds: 5 }).status).toBe('oom');
    expect(evaluateObjective({ ...shipped, DEPTH: 14 }, { seed: 0, budgetSeconds: 5 }).status).toBe('ok');
  });

  it('rejects invalid constants', () => {
    for (const changes of [
      { WINDOW_PATTERN: 'SSXL' },
      { TOTAL_BATCH_SIZE: 300000 },
      { MATRIX_LR: 0 },
      { DEPTH: 2.5 },
      { WARMDOWN_RATIO: 1.5 },
    ]) {
      expect(evaluateObjective({ ...shipped, ...changes }, { seed: 0, budgetSeconds: 5 }).status).toBe('invalid');
    }
  });
});
