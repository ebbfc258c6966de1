// Reads a run's trace into a fixed-size diagnosis of how the search is failing: what Level 2 researches against.

import { isBetter } from '../core/metric-direction.js';
import type { TrialRecordView, Value } from '../mechanisms/mechanism.js';
import type { MechanismActivity } from '../mechanisms/mechanism-activity.js';

/** Failure modes the diagnosis can name, most pressing first when several hold. */
export const symptomNames = [
  'repetition',
  'unmoved-params',
  'plateau',
  'marginal-keeps',
  'uneven-payoffs',
  'crashes',
] as const;
export type Symptom = (typeof symptomNames)[number];

/** Most names listed per field, so the diagnosis (and every prompt that shows it) stays the same size. */
export const diagnosisListCap = 20;

export interface TraceDiagnosis {
  /** Trials recorded, the baseline included. */
  readonly trials: number;
  /** Fractions of the trials after the baseline, 0–1. */
  readonly keepRate: number;
  /** Crashes and timeouts. */
  readonly crashRate: number;
  readonly rejectRate: number;
  /** Executed trials whose every move (param → value) had been tried before, as a fraction of executed trials. */
  readonly repetitionRate: number;
  /** Trials since the incumbent last improved (0 when the last trial set it). */
  readonly plateauLength: number;
  /** Trial index of the incumbent, or null when nothing was kept. */
  readonly bestTrial: number | null;
  /** Params no executed trial ever changed (at most `diagnosisListCap`). */
  readonly neverMoved: readonly string[];
  /** Per param: executed trials that moved it and how many of those were kept (the most moved first, capped). */
  readonly paramPayoffs: readonly { readonly name: string; readonly moved: number; readonly kept: number }[];
  /** Keeps after the baseline whose gain over the previous best was below 0.1% of the baseline metric. */
  readonly marginalKeeps: number;
  readonly keeps: number;
  /** The mechanisms in the run with their counters (capped). */
  readonly mechanisms: readonly {
    readonly name: string;
    readonly origin: string;
    readonly status: string;
    readonly hookCalls: number;
    readonly decisionsChanged: number;
    readonly strikes: number;
  }[];
  /** The failure modes that hold, most pressing first. */
  readonly symptoms: readonly Symptom[];
}

export interface DiagnoseOptions {
  readonly direction: 'minimize' | 'maximize';
  /** Names of the task's tunable params. */
  readonly params: readonly string[];
  readonly activity?: readonly MechanismActivity[];
  /** Plateau length (trials) that counts as a symptom; default 10. */
  readonly plateauThreshold?: number;
}

/** One pass over the trials; the result has the same size for 20 trials or 20,000. */
export function diagnoseTrace(trials: readonly TrialRecordView[], options: DiagnoseOptions): TraceDiagnosis {
  const better = (a: number, b: number) => isBetter(a, b, options.direction);
  const moved = new Map<string, { moved: number; kept: number }>(
    options.params.map((name) => [name, { moved: 0, kept: 0 }]),
  );
  const triedMoves = new Set<string>();
  const baselineMetric = trials[0]?.metric ?? null;
  const marginal = baselineMetric === null ? 0 : Math.abs(baselineMetric) * 0.001;
  let best: { index: number; metric: number } | null =
    baselineMetric === null ? null : { index: trials[0]?.index ?? 0, metric: baselineMetric };
  let keeps = 0;
  let crashes = 0;
  let rejected = 0;
  let executed = 0;
  let repeats = 0;
  let marginalKeeps = 0;
  for (const trial of trials.slice(1)) {
    if (trial.status === 'rejected') {
      rejected += 1;
      continue;
    }
    executed += 1;
    if (trial.status === 'crash' || trial.status === 'timeout') crashes += 1;
    const moves = Object.entries(trial.changed).map(([name, [, after]]) => moveKey(name, after));
    if (moves.length > 0 && moves.every((move) => triedMoves.has(move))) repeats += 1;
    for (const move of moves) triedMoves.add(move);
    for (const name of Object.keys(trial.changed)) {
      const entry = moved.get(name) ?? { moved: 0, kept: 0 };
      entry.moved += 1;
      if (trial.status === 'keep') entry.kept += 1;
      moved.set(name, entry);
    }
    if (trial.status === 'keep' && trial.metric !== null) {
      keeps += 1;
      if (best !== null && Math.abs(best.metric - trial.metric) < marginal) marginalKeeps += 1;
      if (best === null || better(trial.metric, best.metric)) best = { index: trial.index, metric: trial.metric };
    }
  }
  const after = Math.max(0, trials.length - 1);
  const lastIndex = trials.at(-1)?.index ?? 0;
  const plateauLength = best === null ? after : lastIndex - best.index;
  const payoffs = [...moved].map(([name, entry]) => ({ name, ...entry }));
  const neverMoved = payoffs.filter((entry) => entry.moved === 0).map((entry) => entry.name);
  const diagnosis = {
    trials: trials.length,
    keepRate: ratio(keeps, after),
    crashRate: ratio(crashes, after),
    rejectRate: ratio(rejected, after),
    repetitionRate: ratio(repeats, executed),
    plateauLength,
    bestTrial: best?.index ?? null,
    neverMoved: neverMoved.slice(0, diagnosisListCap),
    paramPayoffs: payoffs
      .filter((entry) => entry.moved > 0)
      .sort((left, right) => right.moved - left.moved || left.name.localeCompare(right.name))
      .slice(0, diagnosisListCap),
    marginalKeeps,
    keeps,
    mechanisms: (options.activity ?? []).slice(0, diagnosisListCap).map((activity) => ({
      name: activity.name,
      origin: activity.origin,
      status: activity.status,
      hookCalls: Object.values(activity.hookCalls).reduce((sum, calls) => sum + calls, 0),
      decisionsChanged: activity.decisionsChanged,
      strikes: activity.strikes,
    })),
  };
  const symptoms = symptomNames.filter((symptom) =>
    holds(symptom, diagnosis, executed, options.plateauThreshold ?? 10),
  );
  return { ...diagnosis, symptoms };
}

function holds(
  symptom: Symptom,
  diagnosis: Omit<TraceDiagnosis, 'symptoms'>,
  executed: number,
  plateauThreshold: number,
): boolean {
  switch (symptom) {
    case 'repetition':
      return executed >= 5 && diagnosis.repetitionRate >= 0.2;
    case 'unmoved-params':
      return executed >= 5 && diagnosis.neverMoved.length > 0;
    case 'plateau':
      return diagnosis.plateauLength >= plateauThreshold;
    case 'marginal-keeps':
      return diagnosis.keeps >= 2 && diagnosis.marginalKeeps / diagnosis.keeps >= 0.5;
    case 'uneven-payoffs': {
      const paying = diagnosis.paramPayoffs.some((entry) => entry.kept > 0);
      const barren = diagnosis.paramPayoffs.some((entry) => entry.moved >= 3 && entry.kept === 0);
      return paying && barren;
    }
    case 'crashes':
      return executed >= 5 && diagnosis.crashRate >= 0.2;
  }
}

function moveKey(name: string, value: Value): string {
  return `${name}=${typeof value === 'number' ? Number(value.toPrecision(4)) : String(value)}`;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}
