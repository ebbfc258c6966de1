// A recorded run as plain data: what replay, conformance and resume feed through mechanisms.
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';
import type {
  MechanismContext,
  OutcomeView,
  PromptParts,
  ProposalView,
  TrialRecordView,
  TunableView,
} from './mechanism.js';

/** One finished trial plus what the loop decided by default, before any mechanism spoke. */
export interface RecordedTrial extends TrialRecordView {
  /** The proposal as it was screened; null for the baseline and when the proposer produced nothing. */
  readonly proposal: ProposalView | null;
  /** The measurement before the judge (verdict = the default judge's); null when the trial never ran. */
  readonly outcome: OutcomeView | null;
  /** The parent the loop would pick without mechanisms (the incumbent); defaults to `parent`. */
  readonly defaultParent?: number;
  /** The prompt parts before mechanisms; defaults to no guidance, no focus, avoid = frozen params. */
  readonly prompt?: PromptParts;
  /** Level 1.5 settings in effect for this trial; defaults to the trace's settings. */
  readonly settings?: MechanismContext['settings'];
  /** Indexes of the trials in flight when this one was proposed (several workers); none by default. */
  readonly inFlight?: readonly number[];
}

/** A whole run in the order its trials were recorded (index order with one worker); trial 0 is the baseline. */
export interface RecordedTrace {
  readonly version: 'trace-v1';
  /** The run seed (mechanisms are initialised with it). */
  readonly seed: number;
  readonly task: MechanismContext['task'];
  readonly tunables: readonly TunableView[];
  /** Settings at the start of the run. */
  readonly settings: MechanismContext['settings'];
  readonly trials: readonly RecordedTrial[];
}

const valueSchema = z.union([z.number(), z.string(), z.boolean()]);
const changedSchema = z.record(z.string(), z.tuple([valueSchema, valueSchema]));
const settingsSchema = z.strictObject({
  frozen: z.array(z.string()),
  strategy: z.enum(['explore', 'exploit', 'balanced']),
  guidance: z.string(),
});

const tunableSchema = z.discriminatedUnion('type', [
  z.strictObject({
    name: z.string(),
    type: z.literal('number'),
    min: z.number(),
    max: z.number(),
    integer: z.boolean(),
    scale: z.enum(['linear', 'log']),
  }),
  z.strictObject({ name: z.string(), type: z.literal('choice'), choices: z.array(valueSchema).min(1) }),
]);

const recordedTrialSchema = z.strictObject({
  index: z.number().int().min(0),
  status: z.enum(['keep', 'discard', 'crash', 'timeout', 'rejected']),
  metric: z.number().nullable(),
  values: z.record(z.string(), valueSchema),
  changed: changedSchema,
  summary: z.string(),
  reason: z.string(),
  parent: z.number().int().min(0),
  proposal: z
    .strictObject({
      kind: z.enum(['params', 'code']),
      values: z.record(z.string(), valueSchema),
      changed: changedSchema,
      summary: z.string(),
      files: z.array(z.string()),
    })
    .nullable(),
  outcome: z
    .strictObject({
      status: z.enum(['ok', 'crash', 'timeout']),
      metric: z.number().nullable(),
      verdict: z.enum(['keep', 'discard']),
      confirmations: z.array(z.number()),
    })
    .nullable(),
  defaultParent: z.number().int().min(0).optional(),
  prompt: z
    .strictObject({ guidance: z.array(z.string()), focus: z.array(z.string()), avoid: z.array(z.string()) })
    .optional(),
  settings: settingsSchema.optional(),
  inFlight: z.array(z.number().int().min(0)).optional(),
});

export const recordedTraceSchema: z.ZodType<RecordedTrace> = z.strictObject({
  version: z.literal('trace-v1'),
  seed: z.number().int(),
  task: z.strictObject({
    name: z.string(),
    metric: z.strictObject({ name: z.string(), direction: z.enum(['minimize', 'maximize']) }),
    mode: z.enum(['params', 'code']),
  }),
  tunables: z.array(tunableSchema),
  settings: settingsSchema,
  trials: z.array(recordedTrialSchema),
});

/**
 * Validates a trace read from disk or storage: the baseline first, then each index 1 … n−1 exactly once (in the order
 * the trials were recorded, which with several workers is not index order).
 */
export function parseRecordedTrace(data: unknown, source = 'trace'): RecordedTrace {
  const parsed = recordedTraceSchema.safeParse(data);
  if (!parsed.success) {
    throw new BilevelError(
      'STATE_CORRUPT',
      `${source} is not a valid recorded trace: ${z.prettifyError(parsed.error)}`,
      {
        hint: 'Regenerate the trace from the run record (or the fixture script) instead of editing it by hand.',
      },
    );
  }
  const seen = new Set<number>();
  parsed.data.trials.forEach((trial, position) => {
    const misplaced =
      position === 0 ? trial.index !== 0 : trial.index === 0 || trial.index >= parsed.data.trials.length;
    if (misplaced || seen.has(trial.index)) {
      throw new BilevelError('STATE_CORRUPT', `${source}: trial at position ${position} has index ${trial.index}`, {
        hint: 'List the baseline (index 0) first, then every other index once, in the order they were recorded.',
      });
    }
    seen.add(trial.index);
  });
  return parsed.data;
}

/** The part of a recorded trial that mechanisms are shown (drops the recorder's extra fields). */
export function toTrialRecordView(trial: TrialRecordView): TrialRecordView {
  return {
    index: trial.index,
    status: trial.status,
    metric: trial.metric,
    values: trial.values,
    changed: trial.changed,
    summary: trial.summary,
    reason: trial.reason,
    parent: trial.parent,
  };
}
