// tinygpt's metric (protected): the fixed validation slice, bits per byte from a model's logits, reference n-gram rates.

/** Vocabulary: one token per byte value. */
export const VOCABULARY_SIZE = 256;
/** The slice is this many segments, spread evenly over the validation split. */
export const EVALUATION_SEGMENTS = 16;
/** Bytes predicted per segment (each segment holds one more byte: the first is context only). */
export const EVALUATION_SEGMENT_BYTES = 1024;
/** Tokens per evaluation request (windows are batched up to this many positions). */
const TOKENS_PER_REQUEST = 4096;

/** What the harness evaluates: next-byte logits at every position of every window. */
export interface ByteModel {
  /** The longest window the model accepts (positions). */
  contextLength: number;
  /**
   * `tokens` holds `windows` rows of `length` bytes (row-major). Returns windows·length·256 logits:
   * for each position, unnormalized log-probabilities of the next byte. Position t may only depend on
   * bytes 0..t of its own window (the harness checks this).
   */
  logits(tokens: Uint8Array, windows: number, length: number): Float32Array | Promise<Float32Array>;
}

/** The fixed slice: 16 segments of 1,025 bytes at evenly spaced offsets; 16,384 predicted bytes in all. */
export function evaluationSegments(validation: Uint8Array): Uint8Array[] {
  const span = EVALUATION_SEGMENT_BYTES + 1;
  if (validation.length < span * EVALUATION_SEGMENTS) throw new Error('validation split is too small');
  const stride = Math.floor((validation.length - span) / (EVALUATION_SEGMENTS - 1));
  return Array.from({ length: EVALUATION_SEGMENTS }, (_, index) =>
    validation.subarray(index * stride, index * stride + span),
  );
}

interface Window {
  inputs: Uint8Array;
  targets: Uint8Array;
}

/** Cuts each segment into consecutive windows of at most `contextLength` inputs; each target is the next byte. */
function planWindows(segments: Uint8Array[], contextLength: number): Window[] {
  const windows: Window[] = [];
  for (const segment of segments) {
    for (let start = 0; start < segment.length - 1; start += contextLength) {
      const end = Math.min(start + contextLength, segment.length - 1);
      windows.push({ inputs: segment.subarray(start, end), targets: segment.subarray(start + 1, end + 1) });
    }
  }
  return windows;
}

/** −log₂ p(target) summed over rows, from logits [rows × 256]; NaN when any logit is not finite. */
export function sumBits(logits: Float32Array, targets: Uint8Array, offset = 0): number {
  let bits = 0;
  for (let row = 0; row < targets.length; row++) {
    const base = (offset + row) * VOCABULARY_SIZE;
    let max = -Infinity;
    for (let v = 0; v < VOCABULARY_SIZE; v++) {
      const value = logits[base + v]!;
      if (!Number.isFinite(value)) return Number.NaN;
      if (value > max) max = value;
    }
    let sum = 0;
    for (let v = 0; v < VOCABULARY_SIZE; v++) sum += Math.exp(logits[base + v]! - max);
    bits += (Math.log(sum) + max - logits[base + targets[row]!]!) / Math.LN2;
  }
  return bits;
}

function checkedLogits(logits: Float32Array, windows: number, length: number): Float32Array {
  if (!(logits instanceof Float32Array) || logits.length !== windows * length * VOCABULARY_SIZE) {
    throw new Error(`model returned ${logits?.length} logits for ${windows}×${length} positions (expected ×256)`);
  }
  return logits;
}

export interface EvaluationResult {
  /** Validation bits per byte (lower is better); NaN when the model produced non-finite logits. */
  bitsPerByte: number;
  /** Bytes predicted. */
  bytes: number;
}

/** Bits per byte of `model` on the slice: windows are batched by length and sent in requests of ≤ 4,096 positions. */
export async function evaluateBitsPerByte(model: ByteModel, segments: Uint8Array[]): Promise<EvaluationResult> {
  const contextLength = Math.floor(model.contextLength);
  if (!(contextLength >= 1)) throw new Error(`model context length must be ≥ 1, got ${model.contextLength}`);
  const byLength = new Map<number, Window[]>();
  for (const window of planWindows(segments, contextLength)) {
    const group = byLength.get(window.inputs.length) ?? [];
    group.push(window);
    byLength.set(window.inputs.length, group);
  }
  let bits = 0;
  let bytes = 0;
  for (const [length, group] of byLength) {
    const perRequest = Math.max(1, Math.floor(TOKENS_PER_REQUEST / length));
    for (let first = 0; first < group.length; first += perRequest) {
      const batch = group.slice(first, first + perRequest);
      const tokens = new Uint8Array(batch.length * length);
      batch.forEach((window, index) => {
        tokens.set(window.inputs, index * length);
      });
      const logits = checkedLogits(await model.logits(tokens, batch.length, length), batch.length, length);
      batch.forEach((window, index) => {
        bits += sumBits(logits, window.targets, index * length);
      });
      bytes += batch.length * length;
    }
  }
  return { bitsPerByte: bits / bytes, bytes };
}

export interface CausalityResult {
  passed: boolean;
  /** The first perturbed position; positions before it must not change. */
  cut: number;
  /** Largest absolute change of a logit before the cut. */
  difference: number;
}

/**
 * Catches a model that reads ahead: evaluates one window twice, the second time with every byte from
 * `cut` on changed, and requires the logits before `cut` to stay the same (within 1e-3).
 */
export async function checkCausality(model: ByteModel, segment: Uint8Array, cut01: number): Promise<CausalityResult> {
  const length = Math.min(Math.floor(model.contextLength), segment.length - 1);
  if (length < 2) return { passed: true, cut: 0, difference: 0 };
  const cut = 1 + Math.min(length - 2, Math.floor(cut01 * (length - 1)));
  const tokens = new Uint8Array(2 * length);
  tokens.set(segment.subarray(0, length), 0);
  tokens.set(segment.subarray(0, length), length);
  for (let position = cut; position < length; position++) {
    tokens[length + position] = (tokens[position]! + 1 + ((position * 37) % 254)) % VOCABULARY_SIZE;
  }
  const logits = checkedLogits(await model.logits(tokens, 2, length), 2, length);
  let difference = 0;
  const second = length * VOCABULARY_SIZE;
  for (let index = 0; index < cut * VOCABULARY_SIZE; index++) {
    const change = Math.abs(logits[index]! - logits[second + index]!);
    if (!(change <= difference)) difference = change;
  }
  return { passed: difference <= 1e-3, cut, difference };
}

/** Reference rates on the slice from training-set counts: unigram (add-one) and bigram (backed by the unigram). */
export function referenceBitsPerByte(train: Uint8Array, segments: Uint8Array[]): { unigram: number; bigram: number } {
  const unigramCounts = new Float64Array(VOCABULARY_SIZE);
  const bigramCounts = new Float64Array(VOCABULARY_SIZE * VOCABULARY_SIZE);
  for (let index = 0; index < train.length; index++) {
    unigramCounts[train[index]!]! += 1;
    if (index > 0) bigramCounts[train[index - 1]! * VOCABULARY_SIZE + train[index]!]! += 1;
  }
  const unigram = Array.from(unigramCounts, (count) => (count + 1) / (train.length + VOCABULARY_SIZE));
  const contextCounts = new Float64Array(VOCABULARY_SIZE);
  for (let index = 0; index < train.length - 1; index++) contextCounts[train[index]!]! += 1;
  let unigramBits = 0;
  let bigramBits = 0;
  let bytes = 0;
  for (const segment of segments) {
    for (let position = 1; position < segment.length; position++) {
      const previous = segment[position - 1]!;
      const current = segment[position]!;
      const pUnigram = unigram[current]!;
      // p(current | previous) = (count(previous, current) + p(current)) / (count(previous) + 1)
      const pBigram = (bigramCounts[previous * VOCABULARY_SIZE + current]! + pUnigram) / (contextCounts[previous]! + 1);
      unigramBits -= Math.log2(pUnigram);
      bigramBits -= Math.log2(pBigram);
      bytes += 1;
    }
  }
  return { unigram: unigramBits / bytes, bigram: bigramBits / bytes };
}
