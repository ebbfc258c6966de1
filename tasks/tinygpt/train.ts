// tinygpt: a byte-level GPT trained on the Brown corpus, forward and backward by hand; the one file the inner loop edits.
//
// Read it top to bottom, like autoresearch's train.py: the constants, the layers, the model, the optimizer,
// the training loop, then the summary. The protected harness (harness.ts) gives the time budget, the training data,
// saving the model and serving it to the evaluator (score.ts), which alone computes val_bpb; kernels.ts gives
// matmul and causal attention (see its header).
import {
  type ByteModel,
  budgetSeconds,
  isMainModule,
  loadTensors,
  loadTrainingBytes,
  outputPath,
  runSeed,
  saveTensors,
  serveModel,
} from './harness.js';
import {
  attentionBackward,
  attentionForward,
  matmul,
  matmulTransposed,
  matmulTransposedAAccumulate,
} from './kernels.js';

// ---- Hyperparameters (params mode rewrites these literals) --------------------------------------------------
const DEPTH = 2; // transformer blocks (count)
const WIDTH = 64; // residual stream width (channels per position); must be divisible by HEADS
const HEADS = 4; // attention heads per block (count)
const MLP_RATIO = 4; // MLP hidden width as a multiple of WIDTH
const SEQ_LEN = 64; // context length (bytes per training sequence; also the evaluation window, at most 1024)
const BATCH_SIZE = 16; // sequences per optimizer step (tokens per step = BATCH_SIZE × SEQ_LEN)
const LEARNING_RATE = 0.004; // peak AdamW step size for weight matrices and norms
const EMBEDDING_LR = 0.01; // peak AdamW step size for the embeddings and the output head
const WEIGHT_DECAY = 0.05; // decoupled weight decay on weight matrices (fraction per unit of learning rate)
const ADAM_BETA1 = 0.9; // AdamW first-moment decay (0..1)
const ADAM_BETA2 = 0.99; // AdamW second-moment decay (0..1)
const WARMUP_RATIO = 0.05; // share of training spent ramping the learning rate up from 0
const WARMDOWN_RATIO = 0.5; // share of training, at the end, spent ramping it down to FINAL_LR_FRAC
const FINAL_LR_FRAC = 0.0; // learning rate at the end, as a share of the peak
const GRAD_CLIP = 1.0; // largest global gradient norm before scaling down (0 turns clipping off)
const SEED = 42; // seed for weights and batches; BILEVEL_SEED replaces it when set

const VOCABULARY = 256; // byte-level: one token per byte value (fixed by the harness)

export interface Config {
  depth: number;
  width: number;
  heads: number;
  mlpRatio: number;
  seqLen: number;
}

export interface Hyperparameters {
  batchSize: number;
  learningRate: number;
  embeddingLr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  warmupRatio: number;
  warmdownRatio: number;
  finalLrFrac: number;
  gradClip: number;
}

export const defaultConfig: Config = { depth: DEPTH, width: WIDTH, heads: HEADS, mlpRatio: MLP_RATIO, seqLen: SEQ_LEN };
export const defaultHyperparameters: Hyperparameters = {
  batchSize: BATCH_SIZE,
  learningRate: LEARNING_RATE,
  embeddingLr: EMBEDDING_LR,
  weightDecay: WEIGHT_DECAY,
  beta1: ADAM_BETA1,
  beta2: ADAM_BETA2,
  warmupRatio: WARMUP_RATIO,
  warmdownRatio: WARMDOWN_RATIO,
  finalLrFrac: FINAL_LR_FRAC,
  gradClip: GRAD_CLIP,
};

/** Every reason the settings cannot train, so a bad combination fails at once with a message. */
export function configProblems(config: Config, hyper: Hyperparameters): string[] {
  const problems: string[] = [];
  const counts = { ...config, batchSize: hyper.batchSize };
  for (const [name, value] of Object.entries(counts)) {
    if (!(Number.isInteger(value) && value >= 1)) problems.push(`${name} must be a whole number ≥ 1 (got ${value})`);
  }
  if (config.width % config.heads !== 0) {
    problems.push(`WIDTH (${config.width}) must be divisible by HEADS (${config.heads})`);
  }
  if (config.seqLen > 1024) problems.push(`SEQ_LEN must be at most 1024 (got ${config.seqLen})`);
  for (const [name, value] of Object.entries(hyper)) {
    if (!Number.isFinite(value) || value < 0) problems.push(`${name} must be a finite number ≥ 0 (got ${value})`);
  }
  if (!(hyper.learningRate > 0 && hyper.embeddingLr > 0)) problems.push('learning rates must be > 0');
  if (!(hyper.beta1 < 1 && hyper.beta2 < 1)) problems.push('Adam betas must be below 1');
  if (hyper.warmupRatio + hyper.warmdownRatio > 1) problems.push('WARMUP_RATIO + WARMDOWN_RATIO must be at most 1');
  return problems;
}

// ---- Random numbers (seeded, so a run can be repeated exactly) -------------------------------------------------
export function createRandom(seed: number): { uniform(): number; normal(): number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

// ---- Layers: each backward adds into parameter gradients; weights are [out × in], y = x · Wᵀ -------------------

/** out = input · weightᵀ for `rows` rows. */
export function linearForward(
  out: Float32Array,
  input: Float32Array,
  weight: Float32Array,
  rows: number,
  inputs: number,
  outputs: number,
): void {
  matmulTransposed(out, input, weight, rows, inputs, outputs);
}

/** inputGrad = outGrad · weight (overwritten); weightGrad += outGradᵀ · input. */
export function linearBackward(
  inputGrad: Float32Array,
  weightGrad: Float32Array,
  outGrad: Float32Array,
  input: Float32Array,
  weight: Float32Array,
  rows: number,
  inputs: number,
  outputs: number,
): void {
  matmul(inputGrad, outGrad, weight, rows, outputs, inputs);
  matmulTransposedAAccumulate(weightGrad, outGrad, input, rows, outputs, inputs);
}

/** Layer normalization of each row, then gain and bias; keeps each row's mean and 1/std for the backward pass. */
export function layerNormForward(
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  input: Float32Array,
  gain: Float32Array,
  bias: Float32Array,
  rows: number,
  width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let sum = 0;
    for (let c = 0; c < width; c++) sum += input[base + c]!;
    const mu = sum / width;
    let variance = 0;
    for (let c = 0; c < width; c++) variance += (input[base + c]! - mu) ** 2;
    const inverse = 1 / Math.sqrt(variance / width + 1e-5);
    mean[r] = mu;
    rstd[r] = inverse;
    for (let c = 0; c < width; c++) out[base + c] = (input[base + c]! - mu) * inverse * gain[c]! + bias[c]!;
  }
}

/** Adds the input gradient into `inputGrad` (the residual stream) and the gain/bias gradients into theirs. */
export function layerNormBackward(
  inputGrad: Float32Array,
  gainGrad: Float32Array,
  biasGrad: Float32Array,
  outGrad: Float32Array,
  input: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  gain: Float32Array,
  rows: number,
  width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    const mu = mean[r]!;
    const inverse = rstd[r]!;
    let meanGrad = 0;
    let meanGradNormalized = 0;
    for (let c = 0; c < width; c++) {
      const normalized = (input[base + c]! - mu) * inverse;
      const g = outGrad[base + c]!;
      gainGrad[c]! += g * normalized;
      biasGrad[c]! += g;
      meanGrad += g * gain[c]!;
      meanGradNormalized += g * gain[c]! * normalized;
    }
    meanGrad /= width;
    meanGradNormalized /= width;
    for (let c = 0; c < width; c++) {
      const normalized = (input[base + c]! - mu) * inverse;
      const g = outGrad[base + c]! * gain[c]!;
      inputGrad[base + c]! += inverse * (g - meanGrad - normalized * meanGradNormalized);
    }
  }
}

const GELU_SCALE = Math.sqrt(2 / Math.PI);

/** GELU (tanh approximation), elementwise; keeps the tanh values for the backward pass. */
export function geluForward(out: Float32Array, tanh: Float32Array, input: Float32Array, size: number): void {
  for (let i = 0; i < size; i++) {
    const x = input[i]!;
    const t = Math.tanh(GELU_SCALE * (x + 0.044715 * x * x * x));
    tanh[i] = t;
    out[i] = 0.5 * x * (1 + t);
  }
}

/** inputGrad = outGrad · GELU′(input) (overwritten), from the forward pass's tanh values. */
export function geluBackward(
  inputGrad: Float32Array,
  outGrad: Float32Array,
  input: Float32Array,
  tanh: Float32Array,
  size: number,
): void {
  for (let i = 0; i < size; i++) {
    const x = input[i]!;
    const t = tanh[i]!;
    const derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_SCALE * (1 + 3 * 0.044715 * x * x);
    inputGrad[i] = outGrad[i]! * derivative;
  }
}

/** out[b, t] = tokenEmbedding[token] + positionEmbedding[t]. */
export function embeddingForward(
  out: Float32Array,
  tokens: Uint8Array,
  tokenEmbedding: Float32Array,
  positionEmbedding: Float32Array,
  batch: number,
  length: number,
  width: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const row = (b * length + t) * width;
      const token = tokens[b * length + t]! * width;
      const position = t * width;
      for (let c = 0; c < width; c++) out[row + c] = tokenEmbedding[token + c]! + positionEmbedding[position + c]!;
    }
  }
}

export function embeddingBackward(
  tokenGrad: Float32Array,
  positionGrad: Float32Array,
  outGrad: Float32Array,
  tokens: Uint8Array,
  batch: number,
  length: number,
  width: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const row = (b * length + t) * width;
      const token = tokens[b * length + t]! * width;
      const position = t * width;
      for (let c = 0; c < width; c++) {
        const g = outGrad[row + c]!;
        tokenGrad[token + c]! += g;
        positionGrad[position + c]! += g;
      }
    }
  }
}

/** Mean cross-entropy (nats) of the next-byte targets; writes d(loss)/d(logits) into `logitsGrad`. */
export function crossEntropy(
  logitsGrad: Float32Array,
  logits: Float32Array,
  targets: Uint8Array,
  rows: number,
): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * VOCABULARY;
    let max = -Infinity;
    for (let v = 0; v < VOCABULARY; v++) max = Math.max(max, logits[base + v]!);
    let sum = 0;
    for (let v = 0; v < VOCABULARY; v++) {
      const e = Math.exp(logits[base + v]! - max);
      logitsGrad[base + v] = e;
      sum += e;
    }
    const target = targets[r]!;
    loss += Math.log(sum) + max - logits[base + target]!;
    for (let v = 0; v < VOCABULARY; v++) logitsGrad[base + v] = logitsGrad[base + v]! / sum / rows;
    logitsGrad[base + target]! -= 1 / rows;
  }
  return loss / rows;
}

// ---- The model ---------------------------------------------------------------------------------------------------

/** A learnable tensor with its gradient and AdamW moments; `group` picks its learning rate and decay. */
export interface Parameter {
  name: string;
  data: Float32Array;
  grad: Float32Array;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  group: 'matrix' | 'embedding' | 'norm';
}

export interface Block {
  norm1Gain: Parameter;
  norm1Bias: Parameter;
  qkv: Parameter; // [3·width × width]: queries, keys, values
  projection: Parameter; // [width × width]
  norm2Gain: Parameter;
  norm2Bias: Parameter;
  up: Parameter; // [hidden × width]
  down: Parameter; // [width × hidden]
}

export interface Model {
  config: Config;
  tokenEmbedding: Parameter; // [256 × width]
  positionEmbedding: Parameter; // [seqLen × width]
  blocks: Block[];
  finalNormGain: Parameter;
  finalNormBias: Parameter;
  head: Parameter; // [256 × width]
  parameters: Parameter[];
}

/** GPT-2 style initialization: N(0, 0.02), residual projections scaled by 1/√(2·depth), norms at gain 1, bias 0. */
export function createModel(config: Config, seed: number): Model {
  const random = createRandom(seed);
  const parameters: Parameter[] = [];
  const make = (name: string, size: number, group: Parameter['group'], init: (index: number) => number): Parameter => {
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = init(i);
    const parameter = {
      name,
      data,
      grad: new Float32Array(size),
      firstMoment: new Float32Array(size),
      secondMoment: new Float32Array(size),
      group,
    };
    parameters.push(parameter);
    return parameter;
  };
  const { width, depth } = config;
  const hidden = width * config.mlpRatio;
  const normal = (std: number) => () => std * random.normal();
  const residualStd = 0.02 / Math.sqrt(2 * depth);
  const tokenEmbedding = make('token_embedding', VOCABULARY * width, 'embedding', normal(0.02));
  const positionEmbedding = make('position_embedding', config.seqLen * width, 'embedding', normal(0.02));
  const blocks = Array.from({ length: depth }, (_, layer) => ({
    norm1Gain: make(`block${layer}.norm1_gain`, width, 'norm', () => 1),
    norm1Bias: make(`block${layer}.norm1_bias`, width, 'norm', () => 0),
    qkv: make(`block${layer}.qkv`, 3 * width * width, 'matrix', normal(0.02)),
    projection: make(`block${layer}.projection`, width * width, 'matrix', normal(residualStd)),
    norm2Gain: make(`block${layer}.norm2_gain`, width, 'norm', () => 1),
    norm2Bias: make(`block${layer}.norm2_bias`, width, 'norm', () => 0),
    up: make(`block${layer}.mlp_up`, hidden * width, 'matrix', normal(0.02)),
    down: make(`block${layer}.mlp_down`, width * hidden, 'matrix', normal(residualStd)),
  }));
  const finalNormGain = make('final_norm_gain', width, 'norm', () => 1);
  const finalNormBias = make('final_norm_bias', width, 'norm', () => 0);
  const head = make('head', VOCABULARY * width, 'embedding', normal(0.02));
  return { config, tokenEmbedding, positionEmbedding, blocks, finalNormGain, finalNormBias, head, parameters };
}

/** Buffers for one (batch, length) shape: forward activations kept for the backward pass, and gradient scratch. */
interface Activations {
  batch: number;
  length: number;
  residual: Float32Array[]; // depth + 1 streams [rows × width]: block inputs, then the final output
  middle: Float32Array[]; // per block: the stream after attention
  norm1: Float32Array[];
  norm1Mean: Float32Array[];
  norm1Rstd: Float32Array[];
  qkv: Float32Array[];
  probabilities: Float32Array[];
  attention: Float32Array[];
  norm2: Float32Array[];
  norm2Mean: Float32Array[];
  norm2Rstd: Float32Array[];
  hidden: Float32Array[];
  hiddenTanh: Float32Array[];
  activated: Float32Array[];
  finalNorm: Float32Array;
  finalMean: Float32Array;
  finalRstd: Float32Array;
  logits: Float32Array;
  // gradient scratch
  streamGrad: Float32Array;
  normGrad: Float32Array;
  attentionGrad: Float32Array;
  qkvGrad: Float32Array;
  hiddenGrad: Float32Array;
  activatedGrad: Float32Array;
  logitsGrad: Float32Array;
}

function createActivations(config: Config, batch: number, length: number): Activations {
  const rows = batch * length;
  const { width, depth, heads } = config;
  const hidden = width * config.mlpRatio;
  const many = (count: number, size: number) => Array.from({ length: count }, () => new Float32Array(size));
  return {
    batch,
    length,
    residual: many(depth + 1, rows * width),
    middle: many(depth, rows * width),
    norm1: many(depth, rows * width),
    norm1Mean: many(depth, rows),
    norm1Rstd: many(depth, rows),
    qkv: many(depth, rows * 3 * width),
    probabilities: many(depth, batch * heads * length * length),
    attention: many(depth, rows * width),
    norm2: many(depth, rows * width),
    norm2Mean: many(depth, rows),
    norm2Rstd: many(depth, rows),
    hidden: many(depth, rows * hidden),
    hiddenTanh: many(depth, rows * hidden),
    activated: many(depth, rows * hidden),
    finalNorm: new Float32Array(rows * width),
    finalMean: new Float32Array(rows),
    finalRstd: new Float32Array(rows),
    logits: new Float32Array(rows * VOCABULARY),
    streamGrad: new Float32Array(rows * width),
    normGrad: new Float32Array(rows * width),
    attentionGrad: new Float32Array(rows * width),
    qkvGrad: new Float32Array(rows * 3 * width),
    hiddenGrad: new Float32Array(rows * hidden),
    activatedGrad: new Float32Array(rows * hidden),
    logitsGrad: new Float32Array(rows * VOCABULARY),
  };
}

const activationCache = new WeakMap<Model, Map<string, Activations>>();

function activationsFor(model: Model, batch: number, length: number): Activations {
  const byShape = activationCache.get(model) ?? new Map<string, Activations>();
  activationCache.set(model, byShape);
  const key = `${batch}x${length}`;
  let activations = byShape.get(key);
  if (!activations) {
    activations = createActivations(model.config, batch, length);
    byShape.set(key, activations);
  }
  return activations;
}

/** Runs the model on `batch` sequences of `length` bytes; returns the activations (logits included). */
export function forward(model: Model, tokens: Uint8Array, batch: number, length: number): Activations {
  const { width, heads, mlpRatio } = model.config;
  const hidden = width * mlpRatio;
  const rows = batch * length;
  const shape = { batch, length, heads, headSize: width / heads };
  const a = activationsFor(model, batch, length);
  embeddingForward(
    a.residual[0]!,
    tokens,
    model.tokenEmbedding.data,
    model.positionEmbedding.data,
    batch,
    length,
    width,
  );
  model.blocks.forEach((block, l) => {
    const input = a.residual[l]!;
    const middle = a.middle[l]!;
    const output = a.residual[l + 1]!;
    // attention: middle = input + projection(attention(norm1(input)))
    layerNormForward(
      a.norm1[l]!,
      a.norm1Mean[l]!,
      a.norm1Rstd[l]!,
      input,
      block.norm1Gain.data,
      block.norm1Bias.data,
      rows,
      width,
    );
    linearForward(a.qkv[l]!, a.norm1[l]!, block.qkv.data, rows, width, 3 * width);
    attentionForward(a.attention[l]!, a.probabilities[l]!, a.qkv[l]!, shape);
    linearForward(middle, a.attention[l]!, block.projection.data, rows, width, width);
    for (let i = 0; i < rows * width; i++) middle[i]! += input[i]!;
    // MLP: output = middle + down(gelu(up(norm2(middle))))
    layerNormForward(
      a.norm2[l]!,
      a.norm2Mean[l]!,
      a.norm2Rstd[l]!,
      middle,
      block.norm2Gain.data,
      block.norm2Bias.data,
      rows,
      width,
    );
    linearForward(a.hidden[l]!, a.norm2[l]!, block.up.data, rows, width, hidden);
    geluForward(a.activated[l]!, a.hiddenTanh[l]!, a.hidden[l]!, rows * hidden);
    linearForward(output, a.activated[l]!, block.down.data, rows, hidden, width);
    for (let i = 0; i < rows * width; i++) output[i]! += middle[i]!;
  });
  const last = a.residual[model.blocks.length]!;
  layerNormForward(
    a.finalNorm,
    a.finalMean,
    a.finalRstd,
    last,
    model.finalNormGain.data,
    model.finalNormBias.data,
    rows,
    width,
  );
  linearForward(a.logits, a.finalNorm, model.head.data, rows, width, VOCABULARY);
  return a;
}

/** Mean next-byte loss (nats) of a forward pass, with gradients added into every parameter's `grad`. */
export function lossAndBackward(
  model: Model,
  tokens: Uint8Array,
  targets: Uint8Array,
  batch: number,
  length: number,
): number {
  const { width, heads, mlpRatio } = model.config;
  const hidden = width * mlpRatio;
  const rows = batch * length;
  const shape = { batch, length, heads, headSize: width / heads };
  const a = forward(model, tokens, batch, length);
  const loss = crossEntropy(a.logitsGrad, a.logits, targets, rows);
  const stream = a.streamGrad;
  linearBackward(a.normGrad, model.head.grad, a.logitsGrad, a.finalNorm, model.head.data, rows, width, VOCABULARY);
  stream.fill(0);
  const last = a.residual[model.blocks.length]!;
  layerNormBackward(
    stream,
    model.finalNormGain.grad,
    model.finalNormBias.grad,
    a.normGrad,
    last,
    a.finalMean,
    a.finalRstd,
    model.finalNormGain.data,
    rows,
    width,
  );
  for (let l = model.blocks.length - 1; l >= 0; l--) {
    const block = model.blocks[l]!;
    // MLP branch (the stream gradient passes through the residual unchanged and gains the branch's share)
    linearBackward(a.activatedGrad, block.down.grad, stream, a.activated[l]!, block.down.data, rows, hidden, width);
    geluBackward(a.hiddenGrad, a.activatedGrad, a.hidden[l]!, a.hiddenTanh[l]!, rows * hidden);
    linearBackward(a.normGrad, block.up.grad, a.hiddenGrad, a.norm2[l]!, block.up.data, rows, width, hidden);
    layerNormBackward(
      stream,
      block.norm2Gain.grad,
      block.norm2Bias.grad,
      a.normGrad,
      a.middle[l]!,
      a.norm2Mean[l]!,
      a.norm2Rstd[l]!,
      block.norm2Gain.data,
      rows,
      width,
    );
    // attention branch
    linearBackward(
      a.attentionGrad,
      block.projection.grad,
      stream,
      a.attention[l]!,
      block.projection.data,
      rows,
      width,
      width,
    );
    attentionBackward(a.qkvGrad, a.attentionGrad, a.probabilities[l]!, a.qkv[l]!, shape);
    linearBackward(a.normGrad, block.qkv.grad, a.qkvGrad, a.norm1[l]!, block.qkv.data, rows, width, 3 * width);
    layerNormBackward(
      stream,
      block.norm1Gain.grad,
      block.norm1Bias.grad,
      a.normGrad,
      a.residual[l]!,
      a.norm1Mean[l]!,
      a.norm1Rstd[l]!,
      block.norm1Gain.data,
      rows,
      width,
    );
  }
  embeddingBackward(model.tokenEmbedding.grad, model.positionEmbedding.grad, stream, tokens, batch, length, width);
  return loss;
}

/** The model as the harness sees it: logits for windows of up to SEQ_LEN bytes. */
export function byteModel(model: Model): ByteModel {
  return {
    contextLength: model.config.seqLen,
    logits: (tokens, windows, length) =>
      forward(model, tokens, windows, length).logits.slice(0, windows * length * VOCABULARY),
  };
}

// ---- The optimizer: AdamW, warmup and warmdown, global-norm clipping --------------------------------------------

/** Learning-rate multiplier at `progress` (0 → 1 over training): linear warmup, flat, linear warmdown. */
export function learningRateMultiplier(progress: number, hyper: Hyperparameters): number {
  if (progress < hyper.warmupRatio) return (progress + 1e-9) / hyper.warmupRatio;
  if (progress < 1 - hyper.warmdownRatio) return 1;
  const remaining = Math.max(0, 1 - progress) / hyper.warmdownRatio;
  return remaining + (1 - remaining) * hyper.finalLrFrac;
}

/** One AdamW step (`step` counts from 1); gradients are clipped by global norm, then zeroed. Returns the norm. */
export function adamwStep(model: Model, hyper: Hyperparameters, step: number, multiplier: number): number {
  let squares = 0;
  for (const parameter of model.parameters) for (const g of parameter.grad) squares += g * g;
  const norm = Math.sqrt(squares);
  const clip = hyper.gradClip > 0 && norm > hyper.gradClip ? hyper.gradClip / norm : 1;
  const correction1 = 1 - hyper.beta1 ** step;
  const correction2 = 1 - hyper.beta2 ** step;
  for (const parameter of model.parameters) {
    const rate = (parameter.group === 'embedding' ? hyper.embeddingLr : hyper.learningRate) * multiplier;
    const decay = parameter.group === 'matrix' ? 1 - rate * hyper.weightDecay : 1;
    const { data, grad, firstMoment, secondMoment } = parameter;
    for (let i = 0; i < data.length; i++) {
      const g = grad[i]! * clip;
      const m = hyper.beta1 * firstMoment[i]! + (1 - hyper.beta1) * g;
      const v = hyper.beta2 * secondMoment[i]! + (1 - hyper.beta2) * g * g;
      firstMoment[i] = m;
      secondMoment[i] = v;
      data[i] = data[i]! * decay - (rate * (m / correction1)) / (Math.sqrt(v / correction2) + 1e-8);
    }
    grad.fill(0);
  }
  return norm;
}

// ---- Training -----------------------------------------------------------------------------------------------------

export interface TrainOptions {
  config: Config;
  hyper: Hyperparameters;
  seed: number;
  data: Uint8Array;
  /** Stop after this many steps (progress = step / steps); otherwise train for `seconds`. */
  steps?: number;
  /** Training wall-clock budget in seconds (progress = elapsed / seconds). */
  seconds?: number;
  /** Called after every step, e.g. to print progress. */
  onStep?: (step: number, loss: number, progress: number) => void;
}

export interface TrainResult {
  model: Model;
  losses: number[];
  steps: number;
  /** Seconds spent in training steps (excludes model creation and evaluation). */
  trainingSeconds: number;
  tokens: number;
}

export function train(options: TrainOptions): TrainResult {
  const { config, hyper, data } = options;
  const problems = configProblems(config, hyper);
  if (problems.length > 0) throw new Error(`invalid settings: ${problems.join('; ')}`);
  const model = createModel(config, options.seed);
  const random = createRandom(options.seed ^ 0x5bd1e995);
  const { batchSize: batch } = hyper;
  const length = config.seqLen;
  const tokens = new Uint8Array(batch * length);
  const targets = new Uint8Array(batch * length);
  const losses: number[] = [];
  let trainingSeconds = 0;
  let progress = 0;
  while (options.steps !== undefined ? losses.length < options.steps : trainingSeconds < (options.seconds ?? 0)) {
    const stepStarted = performance.now();
    for (let b = 0; b < batch; b++) {
      const offset = Math.floor(random.uniform() * (data.length - length - 1));
      tokens.set(data.subarray(offset, offset + length), b * length);
      targets.set(data.subarray(offset + 1, offset + length + 1), b * length);
    }
    const loss = lossAndBackward(model, tokens, targets, batch, length);
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at step ${losses.length + 1}`);
    adamwStep(model, hyper, losses.length + 1, learningRateMultiplier(progress, hyper));
    losses.push(loss);
    trainingSeconds += (performance.now() - stepStarted) / 1000;
    progress = options.steps !== undefined ? losses.length / options.steps : trainingSeconds / (options.seconds ?? 1);
    options.onStep?.(losses.length, loss, progress);
  }
  return { model, losses, steps: losses.length, trainingSeconds, tokens: losses.length * batch * length };
}

// ---- Saving and loading: the evaluator serves the model this file defines, from the weights training saved ----------

/** Writes the model (its config and every parameter tensor) to the trial's output folder. */
export function saveModel(model: Model, path = outputPath('model.bin')): void {
  saveTensors(path, { config: model.config }, model.parameters);
}

/** Rebuilds the model saveModel wrote: the same config, every tensor by name and size. */
export function loadModel(path = outputPath('model.bin')): Model {
  const saved = loadTensors(path);
  const model = createModel((saved.meta as { config: Config }).config, 0);
  for (const parameter of model.parameters) {
    const data = saved.tensors.get(parameter.name);
    if (!data || data.length !== parameter.data.length)
      throw new Error(`${path} has no fitting tensor ${parameter.name}`);
    parameter.data.set(data);
  }
  return model;
}

// ---- Main: train for the budget, save the model, print the summary (or, with --serve, serve the saved model) ------

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) {
    await serveModel(byteModel(loadModel()));
    return;
  }
  const started = performance.now();
  const hyper = defaultHyperparameters;
  const problems = configProblems(defaultConfig, hyper);
  if (problems.length > 0) {
    console.error(`invalid settings: ${problems.join('; ')}`);
    process.exit(1);
  }
  const seconds = budgetSeconds();
  const data = loadTrainingBytes();
  let reported = 0;
  const result = train({
    config: defaultConfig,
    hyper,
    seed: runSeed(SEED),
    data,
    seconds,
    onStep: (step, loss, progress) => {
      if (progress < reported + 0.1 && step > 1) return;
      reported = Math.floor(progress * 10) / 10;
      console.log(
        `step ${String(step).padStart(5)} | loss ${loss.toFixed(4)} | ${(progress * 100).toFixed(0)}% of budget`,
      );
    },
  });
  saveModel(result.model);
  const numParams = result.model.parameters.reduce((sum, parameter) => sum + parameter.data.length, 0);
  console.log('---');
  console.log(`training_seconds: ${result.trainingSeconds.toFixed(1)}`);
  console.log(`total_seconds:    ${((performance.now() - started) / 1000).toFixed(1)}`);
  console.log(`peak_memory_mb:   ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}`);
  console.log(`num_steps:        ${result.steps}`);
  console.log(`num_params:       ${numParams}`);
  console.log(`tokens_per_second: ${(result.tokens / result.trainingSeconds).toFixed(0)}`);
  console.log(`final_train_loss: ${(result.losses.at(-1) ?? Number.NaN).toFixed(4)}`);
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
