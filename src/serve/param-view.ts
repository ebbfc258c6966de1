// The param view of a params-mode run as data: for each tunable, every measured trial's value against its metric
// (a slice plot), the baseline's and the best's value, and how its moves went — so what mattered shows at a glance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MetricDirection } from '../core/metric-direction.js';
import { buildParamTable, type ParamRow } from '../outer/param-table.js';
import type { TrialStatus } from '../records/trial-record.js';
import { bestTrial } from '../report/run-status.js';
import type { Database } from '../storage/database.js';
import { getRun } from '../storage/runs-table.js';
import { trialRecordViews } from '../storage/trial-reads.js';
import { type ParamSpec, type ParamValue, paramSpecSchema } from '../task/task-definition.js';
import { runChartData } from './run-chart-data.js';

export interface ParamSliceView {
  name: string;
  /** `number`: x is the value; `choice`: x is the position in `choices`. */
  kind: 'number' | 'choice';
  /** From the task's declaration where the run's copy of task.json has one, else inferred (log for wide positive spans). */
  scale: 'linear' | 'log';
  choices?: ParamValue[];
  /** Measured trials, by index: the value in effect, its metric and status. */
  trial: number[];
  value: ParamValue[];
  metric: number[];
  status: TrialStatus[];
  baseline: ParamValue | null;
  best: ParamValue | null;
  /** How its moves went: moved, kept, best gain over the parent, crashes. */
  stats: ParamRow;
}

export interface ParamView {
  runId: string;
  task: string;
  mode: string;
  metric: { name: string; direction: MetricDirection };
  /** The chart's visible metric range (the run page's), so far-off trials sit at its edge here too. */
  range: { low: number; high: number } | null;
  /** Most telling first: by the best gain any move of it made over its parent, then by moves. */
  params: ParamSliceView[];
}

export function buildParamView(database: Database, runId: string): ParamView {
  const run = getRun(database, runId);
  const trials = trialRecordViews(database, runId);
  const declared = declaredParams(run.workDir);
  const names = [...new Set(trials.flatMap((trial) => Object.keys(trial.values)))];
  const specs = names.map(
    (name) =>
      declared.get(name) ??
      inferredSpec(
        name,
        trials.map((trial) => trial.values[name]),
      ),
  );
  const table = new Map(buildParamTable(specs, trials, run.metric.direction).map((row) => [row.name, row]));
  const best = bestTrial(trials, run.metric.direction);
  const measured = trials.filter((trial) => trial.metric !== null && Number.isFinite(trial.metric));
  const params = specs.map((spec): ParamSliceView => {
    const values = measured.map((trial) => trial.values[spec.name] as ParamValue);
    const numeric = spec.type === 'number';
    const present = measured.filter((trial) => trial.values[spec.name] !== undefined);
    return {
      name: spec.name,
      kind: numeric ? 'number' : 'choice',
      scale: numeric ? (spec.scale === 'log' || wideAndPositive(values) ? 'log' : 'linear') : 'linear',
      ...(numeric ? {} : { choices: spec.choices }),
      trial: present.map((trial) => trial.index),
      value: present.map((trial) => trial.values[spec.name] as ParamValue),
      metric: present.map((trial) => trial.metric as number),
      status: present.map((trial) => trial.status),
      baseline: (trials[0]?.values[spec.name] as ParamValue | undefined) ?? null,
      best: (best?.values[spec.name] as ParamValue | undefined) ?? null,
      stats: table.get(spec.name) as ParamRow,
    };
  });
  params.sort(
    (a, b) =>
      (b.stats.bestGain ?? Number.NEGATIVE_INFINITY) - (a.stats.bestGain ?? Number.NEGATIVE_INFINITY) ||
      b.stats.moved - a.stats.moved ||
      a.name.localeCompare(b.name),
  );
  const chart = runChartData({
    metricName: run.metric.name,
    direction: run.metric.direction,
    trials,
    snapshots: [],
    sessions: [],
    lifecycle: [],
  });
  return { runId, task: run.taskName, mode: run.config.mode, metric: run.metric, range: chart.range, params };
}

/** The params the run's own copy of task.json declares (ranges and scales as of the run); none when it has none. */
function declaredParams(workDir: string): Map<string, ParamSpec> {
  let text: string;
  try {
    text = readFileSync(join(workDir, 'task.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const parsed = z.object({ params: z.array(paramSpecSchema).optional() }).safeParse(safeJson(text));
  return new Map((parsed.success ? (parsed.data.params ?? []) : []).map((spec) => [spec.name, spec]));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** A spec from the values seen: numbers span their range, anything else is a choice among the values seen. */
function inferredSpec(name: string, values: readonly unknown[]): ParamSpec {
  const seen = values.filter((value): value is ParamValue => value !== undefined);
  if (seen.length > 0 && seen.every((value) => typeof value === 'number')) {
    const numbers = seen as number[];
    return {
      name,
      type: 'number',
      min: Math.min(...numbers),
      max: Math.max(...numbers),
      integer: numbers.every(Number.isInteger),
      scale: 'linear',
    };
  }
  return { name, type: 'choice', choices: [...new Set(seen)] };
}

/** Positive values spanning more than two decades read better on a log axis. */
function wideAndPositive(values: readonly ParamValue[]): boolean {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (numbers.length === 0 || numbers.some((value) => value <= 0)) return false;
  return Math.max(...numbers) / Math.min(...numbers) > 100;
}
