// Checks the metric code: the fixed slice, bits per byte from logits, the reference rates and the causality probe.
import { describe, expect, it } from 'vitest';
import {
  type ByteModel,
  checkCausality,
  EVALUATION_SEGMENT_BYTES,
  EVALUATION_SEGMENTS,
  evaluateBitsPerByte,
  evaluationSegments,
  referenceBitsPerByte,
  sumBits,
} from './evaluate.js';

const validation = Uint8Array.from({ length: 40_000 }, (_, index) => 97 + ((index * 7) % 26));
const segments = evaluationSegments(validation);

/** A model that puts all its weight on one byte value everywhere, or nowhere (uniform). */
function constantModel(contextLength: number, favourite?: number): ByteModel & { calls: number[] } {
  const calls: number[] = [];
  return {
    contextLength,
    calls,
    logits(_tokens, windows, length) {
      calls.push(windows * length);
      const logits = new Float32Array(windows * length * 256);
      if (favourite !== undefined) for (let row = 0; row < windows * length; row++) logits[row * 256 + favourite] = 10;
      return logits;
    },
  };
}

describe('tinygpt evaluation', () => {
  it('uses a fixed slice: 16 segments of 1,025 bytes spread over the split, from the first byte to the end', () => {
    expect(segments).toHaveLength(EVALUATION_SEGMENTS);
    expect(segments.every((segment) => segment.length === EVALUATION_SEGMENT_BYTES + 1)).toBe(true);
    expect(segments[0]!.byteOffset).toBe(0);
    expect(segments.at(-1)!.byteOffset + segments.at(-1)!.length).toBeGreaterThan(validation.length - 30);
    expect(evaluationSegments(validation)[5]).toEqual(segments[5]);
  });

  it('scores a uniform model at exactly 8 bits per byte over 16,384 bytes, for any window length', async () => {
    for (const contextLength of [64, 100, 1024]) {
      const model = constantModel(contextLength);
      const result = await evaluateBitsPerByte(model, segments);
      expect(result.bytes).toBe(16_384);
      expect(result.bitsPerByte).toBeCloseTo(8, 6);
      expect(Math.max(...model.calls)).toBeLessThanOrEqual(4096);
    }
  });

  it('computes −log₂ p(target) from logits, and NaN for non-finite logits', () => {
    const logits = new Float32Array(2 * 256);
    logits[3] = Math.log(255); // p(3) = 255 / 510 = 1/2 in the first row
    expect(sumBits(logits, Uint8Array.from([3]))).toBeCloseTo(1, 5);
    logits[256] = Number.NaN;
    expect(sumBits(logits, Uint8Array.from([3, 0]))).toBeNaN();
  });

  it('rejects logits of the wrong size', async () => {
    const model: ByteModel = { contextLength: 8, logits: () => new Float32Array(3) };
    await expect(evaluateBitsPerByte(model, segments)).rejects.toThrow(/expected ×256/);
  });

  it('reports unigram and bigram references: log₂ 5 and ≈ 0 bits on a five-symbol cycle', () => {
    // five symbols in a fixed cycle: each is 1/5 of the bytes (log₂ 5 bits), and the previous one decides it
    const train = new TextEncoder().encode('abcd '.repeat(2000));
    const reference = referenceBitsPerByte(train, evaluationSegments(new TextEncoder().encode('abcd '.repeat(4000))));
    expect(reference.unigram).toBeCloseTo(Math.log2(5), 1);
    expect(reference.bigram).toBeLessThan(0.01);
  });

  it('passes a causal model and catches one that reads the next byte', async () => {
    expect((await checkCausality(constantModel(64, 7), segments[0]!, 0.5)).passed).toBe(true);
    const cheat: ByteModel = {
      contextLength: 64,
      logits(tokens, windows, length) {
        const logits = new Float32Array(windows * length * 256);
        for (let w = 0; w < windows; w++) {
          for (let t = 0; t + 1 < length; t++) logits[(w * length + t) * 256 + tokens[w * length + t + 1]!] = 30;
        }
        return logits;
      },
    };
    for (const cut of [0, 0.3, 0.999]) expect((await checkCausality(cheat, segments[0]!, cut)).passed).toBe(false);
  });
});
