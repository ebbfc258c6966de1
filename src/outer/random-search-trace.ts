// Test fixture: a deterministic, realistic random-search trace on synthetic-task-like params (no task is run).

import { createRng, type Rng } from '../core/rng.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { TrialStatus } from '../records/trial-record.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';

/** Tunables shaped like a small GPT training script's (the synthetic task's kind of params). */
export const fixtureParams: readonly ParamSpec[] = [
  { name: 'LEARNING_RATE', type: 'number', min: 1e-4, max: 0.1, integer: false, scale: 'log' },
  { name: 'WEIGHT_DECAY', type: 'number', min: 0, max: 0.3, integer: false, scale: 'linear' },
  { name: 'TOTAL_BATCH_SIZE', type: 'number', min: 16384, max: 1048576, integer: true, scale: 'log' },
  { name: 'DEPTH', type: 'number', min: 2, max: 16, integer: true, scale: 'linear' },
  { name: 'WARMUP_RATIO', type: 'number', min: 0, max: 0.5, integer: false, scale: 'linear' },
  { name: 'ADAM_BETA2', type: 'number', min: 0.9, max: 0.999, integer: false, scale: 'linear' },
  { name: 'ACTIVATION', type: 'choice', choices: ['relu2', 'gelu', 'swiglu'] },
];

const baselineValues: Record<string, ParamValue> = {
  LEARNING_RATE: 0.002,
  WEIGHT_DECAY: 0.1,
  TOTAL_BATCH_SIZE: 524288,
  DEPTH: 8,
  WARMUP_RATIO: 0.1,
  ADAM_BETA2: 0.95,
  ACTIVATION: 'relu2',
};

/** val_bpb-like loss (lower is better): LR, batch size and depth matter; the rest barely. Null = crash. */
function loss(values: Record<string, ParamValue>, rng: Rng): number | null {
  const lr = Number(values.LEARNING_RATE);
  const batch = Number(values.TOTAL_BATCH_SIZE);
  const depth = Number(values.DEPTH);
  if (lr > 0.05) return null; // diverges
  if (depth >= 14 && batch >= 524288) return null; // out of memory
  const noise = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return (
    1 +
    0.08 * Math.log10(lr / 0.01) ** 2 +
    0.05 * (Math.log2(batch / 131072) / 3) ** 2 +
    0.02 * ((depth - 11) / 4) ** 2 +
    0.002 * (Number(values.WEIGHT_DECAY) - 0.05) ** 2 +
    0.003 * (Number(values.WARMUP_RATIO) - 0.05) ** 2 +
    0.001 * (Number(values.ADAM_BETA2) - 0.99) ** 2 +
    (values.ACTIVATION === 'swiglu' ? -0.002 : 0) +
    0.0015 * noise
  );
}

function sample(param: ParamSpec, current: ParamValue, rng: Rng): ParamValue {
  if (param.type === 'choice') return rng.pick(param.choices.filter((choice) => choice !== current));
  const unit = rng.next();
  const value =
    param.scale === 'log'
      ? Math.exp(Math.log(param.min) + unit * (Math.log(param.max) - Math.log(param.min)))
      : param.min + unit * (param.max - param.min);
  return param.integer ? Math.round(value) : Number(value.toPrecision(3));
}

export interface RandomSearch {
  /** Every trial so far, baseline first. */
  readonly history: readonly TrialRecordView[];
  /** Runs one more trial: moves one or two params that are not frozen, from the incumbent. */
  step(frozen?: readonly string[]): TrialRecordView;
}

/** A random search from the incumbent with keep-iff-better-by-more-than-0.001; deterministic for a seed. */
export function createRandomSearch(seed: number, params: readonly ParamSpec[] = fixtureParams): RandomSearch {
  const rng = createRng(seed);
  const baselineMetric = loss(baselineValues, rng);
  const history: TrialRecordView[] = [
    {
      index: 0,
      status: 'keep',
      metric: baselineMetric,
      values: { ...baselineValues },
      changed: {},
      summary: 'baseline',
      reason: '',
      parent: 0,
    },
  ];
  let incumbent = history[0] as TrialRecordView;
  return {
    history,
    step(frozen = []) {
      const movable = params.filter((param) => !frozen.includes(param.name));
      const count = rng.next() < 0.3 && movable.length > 1 ? 2 : 1;
      const chosen: ParamSpec[] = [];
      while (chosen.length < count) {
        const param = rng.pick(movable);
        if (!chosen.includes(param)) chosen.push(param);
      }
      const values = { ...incumbent.values };
      const changed: Record<string, [ParamValue, ParamValue]> = {};
      for (const param of chosen) {
        const before = values[param.name] as ParamValue;
        let after = sample(param, before, rng);
        for (let retry = 0; retry < 5 && after === before; retry += 1) after = sample(param, before, rng);
        values[param.name] = after;
        changed[param.name] = [before, after];
      }
      const metric = loss(values, rng);
      const better = metric !== null && incumbent.metric !== null && metric < incumbent.metric - 0.001;
      const status: TrialStatus = metric === null ? 'crash' : better ? 'keep' : 'discard';
      const trial: TrialRecordView = {
        index: history.length,
        status,
        metric,
        values,
        changed,
        summary: Object.entries(changed)
          .map(([name, [before, after]]) => `${name} ${before} -> ${after}`)
          .join(', '),
        reason: status === 'keep' ? '' : status === 'crash' ? 'run failed' : 'not better than the incumbent',
        parent: incumbent.index,
      };
      history.push(trial);
      if (status === 'keep') incumbent = trial;
      return trial;
    },
  };
}

/** A finished trace: the baseline plus `trials` random-search trials (no params frozen). */
export function buildRandomSearchTrace(seed: number, trials = 40): readonly TrialRecordView[] {
  const search = createRandomSearch(seed);
  for (let step = 0; step < trials; step += 1) search.step();
  return search.history;
}
