// Deterministic recorded traces from a scripted search on a synthetic objective (clearly not a real task).
import { createRng } from '../core/rng.js';
import { findIncumbent } from './build-context.js';
import type { MechanismContext, TunableView, Value } from './mechanism.js';
import type { RecordedTrace, RecordedTrial } from './recorded-trace.js';

/** `repeats`: revisits tried values; `plateau`: early gains, marginal wins, then a long stall; `crash-streak`: failures. */
export type SyntheticScenario = 'repeats' | 'plateau' | 'crash-streak';
export const syntheticScenarios: readonly SyntheticScenario[] = ['repeats', 'plateau', 'crash-streak'];

/** One scripted trial: what the proposer changes and how the trial ends. */
interface Step {
  set?: Record<string, Value>;
  /** The run failed instead of printing a metric. */
  failure?: { status: 'crash' | 'timeout'; reason: string };
  /** Never ran: the proposer failed (no `set`) or the screen rejected the proposal. */
  rejected?: string;
  /** Force the metric to the incumbent's plus this (for marginal wins and near misses). */
  delta?: number;
  /** Level 1.5 froze these params from this trial on. */
  freeze?: string[];
}

export const syntheticTunables: readonly TunableView[] = [
  { name: 'LEARNING_RATE', type: 'number', min: 1e-5, max: 1e-1, integer: false, scale: 'log' },
  { name: 'BATCH_SIZE', type: 'number', min: 8, max: 512, integer: true, scale: 'log' },
  { name: 'DEPTH', type: 'number', min: 1, max: 12, integer: true, scale: 'linear' },
  { name: 'WARMUP_RATIO', type: 'number', min: 0, max: 0.5, integer: false, scale: 'linear' },
  { name: 'ACTIVATION', type: 'choice', choices: ['relu', 'gelu', 'silu'] },
  { name: 'WEIGHT_DECAY', type: 'number', min: 1e-5, max: 1e-1, integer: false, scale: 'log' },
];

const baseline: Record<string, Value> = {
  LEARNING_RATE: 0.01,
  BATCH_SIZE: 32,
  DEPTH: 4,
  WARMUP_RATIO: 0,
  ACTIVATION: 'relu',
  WEIGHT_DECAY: 0.01,
};

const scripts: Record<SyntheticScenario, Step[]> = {
  repeats: [
    { set: { LEARNING_RATE: 0.003 } },
    { set: { BATCH_SIZE: 64 } },
    { set: { LEARNING_RATE: 0.001 } },
    { set: { LEARNING_RATE: 0.001 } },
    { set: { BATCH_SIZE: 128 } },
    { set: { LEARNING_RATE: 0.00102 } },
    { set: { BATCH_SIZE: 128 } },
    { set: { LEARNING_RATE: 0.005 } },
    { set: { LEARNING_RATE: 0.001 } },
    { set: { BATCH_SIZE: 48 } },
    { set: { LEARNING_RATE: 0.0051 } },
    { set: { BATCH_SIZE: 128 } },
    { set: { LEARNING_RATE: 0.0021 }, delta: 0.004 },
    { set: { LEARNING_RATE: 0.0015, BATCH_SIZE: 96 } },
    { set: { LEARNING_RATE: 0.005, BATCH_SIZE: 128 } },
    { set: { LEARNING_RATE: 0.005, BATCH_SIZE: 40 } },
    { set: { BATCH_SIZE: 128 } },
    { set: { LEARNING_RATE: 0.001 } },
    { set: { LEARNING_RATE: 0.0008 } },
    { set: { BATCH_SIZE: 80 } },
  ],
  plateau: [
    { set: { LEARNING_RATE: 0.003 } },
    { set: { BATCH_SIZE: 64 } },
    { set: { DEPTH: 6 } },
    { set: { WARMUP_RATIO: 0.1 } },
    { set: { ACTIVATION: 'gelu' } },
    { set: { WEIGHT_DECAY: 0.001 } },
    { set: { LEARNING_RATE: 0.01 } },
    { set: { BATCH_SIZE: 256 } },
    { set: { DEPTH: 10 } },
    { set: { WARMUP_RATIO: 0.4 } },
    { set: { ACTIVATION: 'relu' } },
    { set: { WARMUP_RATIO: 0.104 }, delta: -0.0006 },
    { set: { LEARNING_RATE: 0.0001 } },
    { set: { BATCH_SIZE: 16 } },
    { set: { DEPTH: 1 } },
    { set: { WEIGHT_DECAY: 0.1 } },
    { set: { ACTIVATION: 'silu' }, delta: 0.004 },
    { set: { DEPTH: 7 }, delta: -0.0004 },
    { set: { LEARNING_RATE: 0.03 } },
    { set: { BATCH_SIZE: 512 } },
    { set: { WARMUP_RATIO: 0 } },
    { set: { DEPTH: 12 } },
    { set: { WEIGHT_DECAY: 0.00001 } },
    { set: { LEARNING_RATE: 0.0003 } },
    { set: { BATCH_SIZE: 8 } },
    { set: { ACTIVATION: 'relu' } },
    { set: { WARMUP_RATIO: 0.5 } },
    { set: { DEPTH: 2 } },
    { set: { LEARNING_RATE: 0.05 } },
    { set: { WEIGHT_DECAY: 0.05 } },
  ],
  'crash-streak': [
    { set: { LEARNING_RATE: 0.003 } },
    { set: { BATCH_SIZE: 512 }, failure: { status: 'crash', reason: 'process exited with code 1: out of memory' } },
    { set: { BATCH_SIZE: 256 }, failure: { status: 'crash', reason: 'process exited with code 1: out of memory' } },
    { set: { DEPTH: 12 }, failure: { status: 'timeout', reason: 'killed after 60 s' } },
    { set: { LEARNING_RATE: 0.1 }, failure: { status: 'crash', reason: 'metric was NaN (loss diverged)' } },
    { rejected: 'proposer reply was not valid JSON' },
    { set: { DEPTH: 11 }, failure: { status: 'timeout', reason: 'killed after 60 s' } },
    { set: { BATCH_SIZE: 384 }, failure: { status: 'crash', reason: 'process exited with code 1: out of memory' } },
    { set: { WARMUP_RATIO: 0.1 }, freeze: ['BATCH_SIZE'] },
    { set: { BATCH_SIZE: 16 }, rejected: 'BATCH_SIZE is frozen by the search settings' },
    { set: { DEPTH: 6 } },
    { set: { LEARNING_RATE: 0.05 }, failure: { status: 'crash', reason: 'metric was NaN (loss diverged)' } },
    { set: { WEIGHT_DECAY: 0.001 } },
    { set: { ACTIVATION: 'gelu' } },
    { set: { DEPTH: 8 } },
    { set: { LEARNING_RATE: 0.002 } },
  ],
};

/** The synthetic objective (val_loss, lower is better): a separable bowl around a known optimum. */
export function syntheticLoss(values: Readonly<Record<string, Value>>): number {
  const number = (name: string) => Number(values[name]);
  const activationPenalty: Record<string, number> = { relu: 0.02, gelu: 0, silu: 0.005 };
  return (
    2 +
    0.08 * Math.log10(number('LEARNING_RATE') / 0.003) ** 2 +
    0.04 * Math.log2(number('BATCH_SIZE') / 64) ** 2 +
    0.005 * (number('DEPTH') - 6) ** 2 +
    0.3 * (number('WARMUP_RATIO') - 0.1) ** 2 +
    (activationPenalty[String(values.ACTIVATION)] ?? 0) +
    0.02 * Math.log10(number('WEIGHT_DECAY') / 0.001) ** 2
  );
}

/** Runs the scenario's script through a strict default judge (keep iff strictly lower than the incumbent). */
export function makeSyntheticTrace(scenario: SyntheticScenario, seed = 7): RecordedTrace {
  const rng = createRng(seed);
  const noise = () => 0.001 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  let settings: MechanismContext['settings'] = { frozen: [], strategy: 'balanced', guidance: '' };
  const baselineMetric = round(syntheticLoss(baseline) + noise());
  const trials: RecordedTrial[] = [
    {
      index: 0,
      status: 'keep',
      metric: baselineMetric,
      values: baseline,
      changed: {},
      summary: 'baseline',
      reason: '',
      parent: 0,
      proposal: null,
      outcome: { status: 'ok', metric: baselineMetric, verdict: 'keep', confirmations: [] },
    },
  ];
  for (const step of scripts[scenario]) {
    const index = trials.length;
    if (step.freeze) settings = { ...settings, frozen: step.freeze };
    const incumbent = findIncumbent(trials, 'minimize') as RecordedTrial;
    const changed: Record<string, [Value, Value]> = {};
    for (const [name, value] of Object.entries(step.set ?? {})) {
      if (incumbent.values[name] !== value) changed[name] = [incumbent.values[name] as Value, value];
    }
    const values = { ...incumbent.values, ...step.set };
    const summary = step.set
      ? Object.entries(changed)
          .map(([name, [before, after]]) => `${name} ${before} → ${after}`)
          .join(', ')
      : '(no proposal)';
    const proposal = step.set ? { kind: 'params' as const, values, changed, summary, files: [] } : null;
    const common = {
      index,
      values,
      changed,
      summary,
      parent: incumbent.index,
      defaultParent: incumbent.index,
      proposal,
    };
    if (step.rejected !== undefined) {
      trials.push({ ...common, settings, status: 'rejected', metric: null, reason: step.rejected, outcome: null });
      continue;
    }
    if (step.failure) {
      const outcome = { status: step.failure.status, metric: null, verdict: 'discard' as const, confirmations: [] };
      trials.push({
        ...common,
        settings,
        status: step.failure.status,
        metric: null,
        reason: step.failure.reason,
        outcome,
      });
      continue;
    }
    const measured = step.delta === undefined ? syntheticLoss(values) + noise() : Number(incumbent.metric) + step.delta;
    const metric = round(measured);
    const verdict: 'keep' | 'discard' = metric < Number(incumbent.metric) ? 'keep' : 'discard';
    const reason = verdict === 'keep' ? '' : `not better than the incumbent (${incumbent.metric})`;
    const outcome = { status: 'ok' as const, metric, verdict, confirmations: [] };
    trials.push({ ...common, settings, status: verdict, metric, reason, outcome });
  }
  return {
    version: 'trace-v1',
    seed,
    task: { name: `synthetic-${scenario}`, metric: { name: 'val_loss', direction: 'minimize' }, mode: 'params' },
    tunables: syntheticTunables,
    settings: { frozen: [], strategy: 'balanced', guidance: '' },
    trials,
  };
}
