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
  command: z.array(z.string().min(1)).min(1),
  metric: metricSchema,
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
export type MetricSpec = z.infer<typeof metricSchema>;
export type TaskDefinition = z.infer<typeof taskDefinitionSchema>;

/** A param value as written into source: a number, a string or a boolean. */
export type ParamValue = number | string | boolean;
