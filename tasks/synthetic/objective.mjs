// SYNTHETIC objective (protected, hidden from training): scores the constants with a seeded formula. No model is trained.
// Self-contained on purpose: the task folder is copied into each run, so this file imports nothing. Plain JavaScript
// (types in objective.d.mts) so the evaluator starts in a fraction of the time a TypeScript loader takes.

/** The constants the objective reads, in the order their noise is seeded (names as in autoresearch's train.py). */
export const configNames = [
  'DEPTH',
  'HEAD_DIM',
  'WINDOW_PATTERN',
  'TOTAL_BATCH_SIZE',
  'EMBEDDING_LR',
  'UNEMBEDDING_LR',
  'MATRIX_LR',
  'SCALAR_LR',
  'WEIGHT_DECAY',
  'ADAM_BETA1',
  'ADAM_BETA2',
  'WARMUP_RATIO',
  'WARMDOWN_RATIO',
  'FINAL_LR_FRAC',
];

/** Standard deviation of the seeded evaluation noise, in bits per byte. */
export const noiseSd = 0.003;
/** Simulated accelerator memory (an 80 GB card), in MB. */
export const memoryLimitMb = 81_920;
const sequenceLength = 2048;
/** Chosen so the shipped constants score ≈ 1.100 on average over seeds. */
const floor = 1.0458;

/** The landscape. `seed` picks the noise; the same seed and constants always give the same result. */
export function evaluateObjective(config, options) {
  const invalid = checkConfig(config);
  if (invalid) return { status: 'invalid', cause: invalid };
  const rng = mulberry32(hashString(`${options.seed}|${JSON.stringify(config)}`));
  const longShare = [...config.WINDOW_PATTERN].filter((char) => char === 'L').length / config.WINDOW_PATTERN.length;
  const peakVramMb = 44_000 * (config.DEPTH / 8) * (config.HEAD_DIM / 128) * (1 + 0.1 * (longShare - 0.25));
  if (peakVramMb > memoryLimitMb) return { status: 'oom', requestedMb: peakVramMb };

  const batchLog = Math.log2(config.TOTAL_BATCH_SIZE);
  // Warmup lets a higher learning rate train stably; smaller batches and deeper models want lower ones.
  const warmupBoost = 1 + config.WARMUP_RATIO;
  const matrixBest = 0.055 * 2 ** (0.5 * (batchLog - 19)) * Math.sqrt(8 / config.DEPTH) * warmupBoost;
  const embeddingBest = 0.8 * 2 ** (0.3 * (batchLog - 19)) * warmupBoost;
  const unembeddingBest = 0.004 * warmupBoost;
  const scalarBest = 0.5 * warmupBoost;
  const stability = 2.5 + 3 * config.WARMUP_RATIO; // log2 excess over the best LR that still trains
  const excess = {
    MATRIX_LR: Math.log2(config.MATRIX_LR / matrixBest),
    EMBEDDING_LR: Math.log2(config.EMBEDDING_LR / embeddingBest),
    UNEMBEDDING_LR: Math.log2(config.UNEMBEDDING_LR / unembeddingBest),
    SCALAR_LR: Math.log2(config.SCALAR_LR / scalarBest),
  };
  // Per-layer scalars tolerate a little more before the loss blows up.
  const unstable = Object.entries(excess).find(([name, value]) => value > stability + (name === 'SCALAR_LR' ? 0.5 : 0));
  if (unstable) return { status: 'diverged', step: 5 + Math.floor(rng() * 40), cause: `${unstable[0]} is too high` };
  if (config.ADAM_BETA1 >= 1 || config.ADAM_BETA2 >= 1) {
    return { status: 'diverged', step: 1 + Math.floor(rng() * 5), cause: 'an Adam beta is ≥ 1' };
  }

  // Fixed time budget: a smaller batch gives more optimizer steps, the largest single gain (optimum near 2**16.6).
  const batchTerm = 0.008 * (batchLog - 16.6) ** 2;
  const bestDepth = 9 + 0.5 * (19 - batchLog); // more steps can feed a deeper model
  const depthTerm = 0.002 * (config.DEPTH - bestDepth) ** 2;
  const headTerm = 0.01 * Math.log2(config.HEAD_DIM / 128) ** 2;
  const windowTerm = 0.008 * (longShare - 0.5) ** 2;
  const learningRateTerm =
    0.012 * excess.MATRIX_LR ** 2 +
    0.003 * excess.EMBEDDING_LR ** 2 +
    0.004 * excess.UNEMBEDDING_LR ** 2 +
    0.002 * excess.SCALAR_LR ** 2;
  const betaTerm =
    0.01 * Math.log2(Math.max(1e-6, 1 - config.ADAM_BETA1) / 0.15) ** 2 +
    0.004 * Math.log2(Math.max(1e-6, 1 - config.ADAM_BETA2) / 0.05) ** 2;
  const regularizationTerm = 0.08 * (config.WEIGHT_DECAY - 0.12) ** 2;
  const overlap = Math.max(0, config.WARMUP_RATIO + config.WARMDOWN_RATIO - 1);
  const scheduleTerm =
    0.03 * config.WARMUP_RATIO ** 2 +
    0.03 * (config.WARMDOWN_RATIO - 0.6) ** 2 +
    0.02 * (config.FINAL_LR_FRAC - 0.05) ** 2 +
    0.05 * overlap;
  const cleanValBpb =
    floor +
    batchTerm +
    depthTerm +
    headTerm +
    windowTerm +
    learningRateTerm +
    betaTerm +
    regularizationTerm +
    scheduleTerm;
  const valBpb = cleanValBpb + noiseSd * gaussian(rng);

  // As in autoresearch: model_dim = DEPTH * 64, rounded up to a whole number of heads.
  const modelDim = Math.ceil((config.DEPTH * 64) / config.HEAD_DIM) * config.HEAD_DIM;
  const numParams = 12 * config.DEPTH * modelDim ** 2 + 2 * 8192 * modelDim;
  const tokensPerSecond = 1.65e6 * (33.6e6 / numParams) ** 0.7;
  const totalTokens = tokensPerSecond * options.budgetSeconds;
  return {
    status: 'ok',
    valBpb,
    cleanValBpb,
    peakVramMb,
    numSteps: Math.max(1, Math.floor(totalTokens / config.TOTAL_BATCH_SIZE)),
    totalTokensM: totalTokens / 1e6,
    numParamsM: numParams / 1e6,
    mfuPercent: 39.8 + 2 * (rng() - 0.5),
  };
}

function checkConfig(config) {
  for (const [name, value] of Object.entries(config)) {
    if (name !== 'WINDOW_PATTERN' && (typeof value !== 'number' || !Number.isFinite(value))) {
      return `${name} must be a finite number`;
    }
  }
  if (!Number.isInteger(config.DEPTH) || config.DEPTH < 1) return 'DEPTH must be a positive integer';
  if (!Number.isInteger(config.HEAD_DIM) || config.HEAD_DIM < 8) return 'HEAD_DIM must be an integer of at least 8';
  if (typeof config.WINDOW_PATTERN !== 'string' || !/^[SL]{1,16}$/.test(config.WINDOW_PATTERN)) {
    return 'WINDOW_PATTERN must be 1 to 16 letters, each S (short window) or L (long window)';
  }
  if (
    !Number.isInteger(config.TOTAL_BATCH_SIZE) ||
    config.TOTAL_BATCH_SIZE < sequenceLength ||
    config.TOTAL_BATCH_SIZE % sequenceLength !== 0
  ) {
    return `TOTAL_BATCH_SIZE must be a positive multiple of the sequence length (${sequenceLength})`;
  }
  for (const name of ['EMBEDDING_LR', 'UNEMBEDDING_LR', 'MATRIX_LR', 'SCALAR_LR']) {
    if (config[name] <= 0) return `${name} must be positive`;
  }
  for (const name of ['WEIGHT_DECAY', 'ADAM_BETA1', 'ADAM_BETA2', 'WARMUP_RATIO', 'WARMDOWN_RATIO', 'FINAL_LR_FRAC']) {
    if (config[name] < 0) return `${name} must not be negative`;
  }
  if (config.WARMUP_RATIO > 1 || config.WARMDOWN_RATIO > 1 || config.FINAL_LR_FRAC > 1) {
    return 'WARMUP_RATIO, WARMDOWN_RATIO and FINAL_LR_FRAC are fractions in [0, 1]';
  }
  return undefined;
}

/**
 * Runs the objective as a training script would: reads `BILEVEL_SEED` (integer, default 0) and
 * `BILEVEL_BUDGET_SECONDS` (echoed, never waited for), prints a Karpathy-style summary, sets the exit code.
 */
export function runObjective(config, env = process.env) {
  const started = performance.now();
  const seed = Number.parseInt(env.BILEVEL_SEED ?? '0', 10);
  const budgetSeconds = Number(env.BILEVEL_BUDGET_SECONDS ?? '300');
  if (!Number.isInteger(seed) || !Number.isFinite(budgetSeconds) || budgetSeconds <= 0) {
    console.error('error: BILEVEL_SEED must be an integer and BILEVEL_BUDGET_SECONDS a positive number');
    process.exitCode = 2;
    return;
  }
  const result = evaluateObjective(config, { seed, budgetSeconds });
  console.log('synthetic objective (a stand-in formula, not training)');
  if (result.status === 'invalid') {
    console.error(`AssertionError: ${result.cause}`);
    process.exitCode = 1;
    return;
  }
  if (result.status === 'oom') {
    console.error(
      `torch.OutOfMemoryError: CUDA out of memory (synthetic). Tried to allocate ${((result.requestedMb - memoryLimitMb) / 1024).toFixed(2)} GiB more than the ${memoryLimitMb / 1024} GiB available; reduce DEPTH or HEAD_DIM.`,
    );
    process.exitCode = 1;
    return;
  }
  if (result.status === 'diverged') {
    console.log(`step ${String(result.step).padStart(5, '0')} | loss: nan`);
    console.error(`loss diverged at step ${result.step} (loss = nan): ${result.cause}`);
    console.log('val_bpb: nan');
    process.exitCode = 1;
    return;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log('---');
  console.log(`val_bpb:          ${result.valBpb.toFixed(6)}`);
  console.log(`training_seconds: ${budgetSeconds.toFixed(1)}`);
  console.log(`total_seconds:    ${(budgetSeconds + elapsed).toFixed(1)}`);
  console.log(`peak_vram_mb:     ${result.peakVramMb.toFixed(1)}`);
  console.log(`mfu_percent:      ${result.mfuPercent.toFixed(2)}`);
  console.log(`total_tokens_M:   ${result.totalTokensM.toFixed(1)}`);
  console.log(`num_steps:        ${result.numSteps}`);
  console.log(`num_params_M:     ${result.numParamsM.toFixed(1)}`);
  console.log(`depth:            ${config.DEPTH}`);
}

function hashString(text) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box–Muller. */
function gaussian(next) {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}
