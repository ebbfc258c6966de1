// A run's configuration: everything needed to continue it exactly after a crash, stored with the run.
import { z } from 'zod';

export const levelSchema = z.enum(['1', '1.5', '2']);
export type Level = z.infer<typeof levelSchema>;

/** How long a run waits out an LLM outage (retrying with backoff) before it stops, resumable: 15 minutes. */
export const defaultLlmPatienceSeconds = 900;

export const runConfigSchema = z.object({
  /** The task reference as given (built-in name or folder), and its resolved folder. */
  task: z.string(),
  taskDir: z.string(),
  levels: z.array(levelSchema).min(1),
  proposer: z.enum(['random', 'llm']),
  /** LLM ids per role (`default` for all roles), when proposer or analysts use one. */
  llm: z
    .object({
      default: z.string(),
      roles: z.record(z.string(), z.string()).default({}),
      baseUrl: z.string().optional(),
      record: z.string().optional(),
      maxCostUsd: z.number().positive().optional(),
      maxCalls: z.number().int().positive().optional(),
      /** JSON file of prices (USD per million tokens) that replace or extend the built-in table. */
      pricesFile: z.string().optional(),
      /** Seconds a failing LLM call is retried through an outage before the run stops, resumable. */
      patienceSeconds: z.number().min(0).optional(),
    })
    .optional(),
  /** Number of trials after the baseline. */
  trials: z.number().int().min(0),
  budgetSeconds: z.number().positive(),
  timeoutSeconds: z.number().positive(),
  mode: z.enum(['params', 'code']),
  seed: z.number().int(),
  mechanisms: z.array(z.string()).default([]),
  /** Params of the named mechanisms (mechanism → param → value); absent params keep their defaults. */
  mechanismConfigs: z
    .record(z.string(), z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])))
    .optional(),
  /** Level 1.5 runs after every `outerEvery` trials. */
  outerEvery: z.number().int().positive().default(5),
  /** A trial is kept only if it beats the incumbent by more than this (metric units). */
  noiseThreshold: z.number().min(0).default(0),
  /** Trials shown to proposers and mechanisms. */
  historyLimit: z.number().int().positive().default(200),
  /** Tries per trial when a proposal is rejected before running (the retry gets the reason). */
  proposalAttempts: z.number().int().min(1).default(2),
  /** Code mode: times the LLM may try to fix a crashed trial. */
  fixAttempts: z.number().int().min(0).default(1),
  // Level 2 settings are optional (absent = the default in meta/meta-settings.ts), so configs written before
  // Level 2 existed, and callers that build a config by hand, stay valid.
  /** Level 2 runs after every `metaEvery`-th Level 1.5 cycle (every metaEvery × outerEvery trials); default 2. */
  metaEvery: z.number().int().positive().optional(),
  /** Level 2 also runs once the run has gone this many trials without a new best nor a meta session; default 10. */
  metaPlateau: z.number().int().positive().optional(),
  /** Trials an injected mechanism is watched before it is kept or retired (probation window); default 10. */
  probationWindow: z.number().int().positive().optional(),
  /** Times a generated module that fails the gate goes back to the model with its problems; default 2. */
  repairAttempts: z.number().int().min(0).optional(),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
