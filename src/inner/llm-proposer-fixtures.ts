// Test fixtures for the LLM proposer: a synthetic eight-param task, proposal contexts and long seeded histories.

import { createRng } from '../core/rng.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import { defaultSearchSettings } from '../records/search-settings.js';
import type { TrialStatus } from '../records/trial-record.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import type { ProposalContext } from './proposer.js';

/** Eight tunables shaped like a small training script's constants. */
export const syntheticParams: ParamSpec[] = [
  { name: 'LEARNING_RATE', type: 'number', min: 0.0001, max: 0.1, integer: false, scale: 'log' },
  { name: 'BATCH_SIZE', type: 'number', min: 8, max: 512, integer: true, scale: 'log' },
  { name: 'N_LAYER', type: 'number', min: 1, max: 12, integer: true, scale: 'linear' },
  { name: 'N_EMBD', type: 'number', min: 32, max: 768, integer: true, scale: 'log' },
  { name: 'DROPOUT', type: 'number', min: 0, max: 0.5, integer: false, scale: 'linear' },
  { name: 'WEIGHT_DECAY', type: 'number', min: 0, max: 0.3, integer: false, scale: 'linear' },
  { name: 'WARMUP_STEPS', type: 'number', min: 0, max: 2000, integer: true, scale: 'linear' },
  { name: 'ACTIVATION', type: 'choice', choices: ['gelu', 'relu', 'silu', 'tanh'] },
];

export const syntheticCurrent: Record<string, ParamValue> = {
  LEARNING_RATE: 0.003,
  BATCH_SIZE: 64,
  N_LAYER: 4,
  N_EMBD: 128,
  DROPOUT: 0.1,
  WEIGHT_DECAY: 0.01,
  WARMUP_STEPS: 100,
  ACTIVATION: 'gelu',
};

/** A params-mode context on the synthetic task; fields can be overridden. */
export function syntheticContext(overrides: Partial<ProposalContext> = {}): ProposalContext {
  return {
    task: {
      name: 'synthetic',
      description: 'A seeded stand-in for a training script (synthetic objective; runs in milliseconds).',
      metric: { name: 'val_bpb', direction: 'minimize' },
      mode: 'params',
    },
    params: syntheticParams,
    current: { ...syntheticCurrent },
    files: {},
    incumbentMetric: 1.2345,
    history: [],
    trialCount: 1,
    settings: { ...defaultSearchSettings, frozen: [] },
    guidance: [],
    focus: [],
    avoid: [],
    trialIndex: 1,
    attempt: 0,
    seed: 42,
    ...overrides,
  };
}

/** `count` trials (index 0 is the baseline) with random moves and outcomes, seeded; long string reasons included. */
export function syntheticHistory(count: number, seed = 7): TrialRecordView[] {
  const rng = createRng(seed);
  const statuses: TrialStatus[] = ['keep', 'discard', 'discard', 'discard', 'crash', 'timeout', 'rejected'];
  const values = { ...syntheticCurrent };
  const trials: TrialRecordView[] = [];
  for (let index = 0; index < count; index++) {
    const changed: Record<string, [ParamValue, ParamValue]> = {};
    if (index > 0) {
      for (let move = 0; move < 1 + rng.int(3); move++) {
        const param = syntheticParams[rng.int(syntheticParams.length)];
        if (param === undefined) continue;
        const after: ParamValue =
          param.type === 'choice'
            ? (param.choices[rng.int(param.choices.length)] ?? 'gelu')
            : param.integer
              ? Math.round(param.min + rng.next() * (param.max - param.min))
              : param.min + rng.next() * (param.max - param.min);
        changed[param.name] = [values[param.name] ?? 0, after];
      }
    }
    const status: TrialStatus = index === 0 ? 'keep' : (statuses[rng.int(statuses.length)] ?? 'discard');
    const metric = status === 'keep' || status === 'discard' ? 1 + rng.next() : null;
    const trialValues = {
      ...values,
      ...Object.fromEntries(Object.entries(changed).map(([name, [, after]]) => [name, after])),
    };
    if (status === 'keep') Object.assign(values, trialValues);
    trials.push({
      index,
      status,
      metric,
      values: trialValues,
      changed,
      summary: `try ${Object.keys(changed).join(' and ') || 'baseline'} — ${'a long-winded explanation '.repeat(8)}`,
      reason: status === 'keep' ? '' : `${status}: ${'Traceback line with details '.repeat(10)}`,
      parent: Math.max(0, index - 1 - rng.int(3)),
    });
  }
  return trials;
}
