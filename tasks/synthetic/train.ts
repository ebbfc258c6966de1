// SYNTHETIC stand-in for autoresearch's train.py: the inner loop edits the constants below; nothing is trained.
// "Training" writes them to the output folder; the protected evaluator (score.mjs, which this program cannot read)
// scores them with a seeded formula and prints the summary block.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Model architecture
const DEPTH = 8; // number of transformer layers; model_dim = DEPTH * 64
const HEAD_DIM = 128; // target head dimension for attention
const WINDOW_PATTERN = 'SSSL'; // attention window per layer, tiled: L = full context, S = short window

// Optimization
const TOTAL_BATCH_SIZE = 2 ** 19; // tokens per optimizer step (~524K)
const EMBEDDING_LR = 0.6; // learning rate for the token embeddings (Adam)
const UNEMBEDDING_LR = 0.004; // learning rate for the output head (Adam)
const MATRIX_LR = 0.04; // learning rate for the weight matrices (Muon)
const SCALAR_LR = 0.5; // learning rate for per-layer scalars (Adam)
const WEIGHT_DECAY = 0.2; // weight decay on the matrices
const ADAM_BETA1 = 0.8; // Adam first-moment decay
const ADAM_BETA2 = 0.95; // Adam second-moment decay
const WARMUP_RATIO = 0.0; // fraction of the time budget spent warming the learning rate up
const WARMDOWN_RATIO = 0.5; // fraction of the time budget spent decaying the learning rate
const FINAL_LR_FRAC = 0.0; // final learning rate as a fraction of the initial one

const constants = {
  DEPTH,
  HEAD_DIM,
  WINDOW_PATTERN,
  TOTAL_BATCH_SIZE,
  EMBEDDING_LR,
  UNEMBEDDING_LR,
  MATRIX_LR,
  SCALAR_LR,
  WEIGHT_DECAY,
  ADAM_BETA1,
  ADAM_BETA2,
  WARMUP_RATIO,
  WARMDOWN_RATIO,
  FINAL_LR_FRAC,
};

// The trial's output folder (BILEVEL_OUTPUT_DIR); the current folder when run by hand.
const path = join(process.env.BILEVEL_OUTPUT_DIR ?? '.', 'constants.json');
writeFileSync(path, `${JSON.stringify(constants, null, 2)}\n`);
console.log(`wrote ${Object.keys(constants).length} constants to ${path}`);
