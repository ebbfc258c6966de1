// Types of objective.mjs (the SYNTHETIC objective, protected and hidden from training), for TypeScript callers.

/** The constants train.ts writes (names as in Karpathy's autoresearch train.py). */
export interface SyntheticConfig {
  DEPTH: number;
  HEAD_DIM: number;
  WINDOW_PATTERN: string;
  TOTAL_BATCH_SIZE: number;
  EMBEDDING_LR: number;
  UNEMBEDDING_LR: number;
  MATRIX_LR: number;
  SCALAR_LR: number;
  WEIGHT_DECAY: number;
  ADAM_BETA1: number;
  ADAM_BETA2: number;
  WARMUP_RATIO: number;
  WARMDOWN_RATIO: number;
  FINAL_LR_FRAC: number;
}

export type ObjectiveResult =
  | {
      status: 'ok';
      /** Validation bits per byte; lower is better. Includes seeded noise (sd `noiseSd`). */
      valBpb: number;
      /** The noise-free part of valBpb. */
      cleanValBpb: number;
      peakVramMb: number;
      numSteps: number;
      totalTokensM: number;
      numParamsM: number;
      mfuPercent: number;
    }
  | { status: 'diverged'; step: number; cause: string }
  | { status: 'oom'; requestedMb: number }
  | { status: 'invalid'; cause: string };

/** The names of SyntheticConfig, in the order their noise is seeded. */
export const configNames: readonly (keyof SyntheticConfig)[];
/** Standard deviation of the seeded evaluation noise, in bits per byte. */
export const noiseSd: number;
/** Simulated accelerator memory (an 80 GB card), in MB. */
export const memoryLimitMb: number;
/** The landscape. `seed` picks the noise; the same seed and constants always give the same result. */
export function evaluateObjective(
  config: SyntheticConfig,
  options: { seed: number; budgetSeconds: number },
): ObjectiveResult;
/**
 * Scores `config` as a training script's summary would: reads `BILEVEL_SEED` (integer, default 0) and
 * `BILEVEL_BUDGET_SECONDS` (echoed, never waited for), prints a Karpathy-style summary, sets the exit code.
 */
export function runObjective(config: SyntheticConfig, env?: NodeJS.ProcessEnv): void;
