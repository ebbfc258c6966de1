// The status of a run as one plain object: what `bilevel status --json` prints and the human table shows.
import type { Database } from '../storage/database.js';
import { type LlmUsageSummary, summarizeLlmCalls } from '../storage/llm-calls-table.js';
import { listMechanismActivity } from '../storage/mechanism-tables.js';
import { getRun, listRuns, type RunRecord } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { listTrials, type StoredTrial } from '../storage/trials-table.js';

export interface MechanismStatus {
  name: string;
  origin: string;
  status: string;
  /** Total hook calls, all hooks together. */
  hookCalls: number;
  hookCallsByHook: Record<string, number>;
  decisionsChanged: number;
  strikes: number;
  retiredReason?: string;
}

export interface RunStatus {
  id: string;
  task: string;
  state: RunRecord['state'];
  stateReason: string;
  levels: string[];
  proposer: string;
  llm: LlmUsageSummary & { model: string | null };
  mode: string;
  seed: number;
  plannedTrials: number;
  createdAt: string;
  updatedAt: string;
  metric: { name: string; direction: 'minimize' | 'maximize' };
  baseline: number | null;
  best: { trial: number; metric: number } | null;
  trials: {
    index: number;
    status: string;
    metric: number | null;
    commit: string | null;
    summary: string;
    reason: string;
  }[];
  mechanisms: MechanismStatus[];
  settingsHistory: unknown[];
  paths: { work: string };
}

export function buildRunStatus(database: Database, runId: string): RunStatus {
  const run = getRun(database, runId);
  const trials = listTrials(database, runId);
  const best = bestTrial(trials, run.metric.direction);
  return {
    id: run.id,
    task: run.taskName,
    state: run.state,
    stateReason: run.stateReason,
    levels: run.config.levels,
    proposer: run.config.proposer,
    llm: { model: run.config.llm?.default ?? null, ...summarizeLlmCalls(database, runId) },
    mode: run.config.mode,
    seed: run.config.seed,
    plannedTrials: run.config.trials,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    metric: run.metric,
    baseline: trials[0]?.metric ?? null,
    best: best && best.metric !== null ? { trial: best.index, metric: best.metric } : null,
    trials: trials.map((trial) => ({
      index: trial.index,
      status: trial.status,
      metric: trial.metric,
      commit: trial.commit,
      summary: trial.summary,
      reason: trial.reason,
    })),
    mechanisms: listMechanismActivity(database, runId).map(({ activity }) => toMechanismStatus(activity)),
    settingsHistory: listSettingsSnapshots(database, runId),
    paths: { work: run.workDir },
  };
}

export function listRunSummaries(database: Database) {
  return listRuns(database).map((run) => {
    const trials = listTrials(database, run.id);
    const best = bestTrial(trials, run.metric.direction);
    return {
      id: run.id,
      task: run.taskName,
      state: run.state,
      levels: run.config.levels,
      proposer: run.config.proposer,
      trials: trials.length,
      plannedTrials: run.config.trials + 1,
      baseline: trials[0]?.metric ?? null,
      best: best && best.metric !== null ? { trial: best.index, metric: best.metric } : null,
      createdAt: run.createdAt,
    };
  });
}

/** The best kept trial with a metric (earliest on ties). */
function bestTrial(trials: readonly StoredTrial[], direction: 'minimize' | 'maximize'): StoredTrial | undefined {
  let best: StoredTrial | undefined;
  for (const trial of trials) {
    if (trial.status !== 'keep' || trial.metric === null) continue;
    if (
      !best ||
      (direction === 'maximize' ? trial.metric > (best.metric as number) : trial.metric < (best.metric as number))
    ) {
      best = trial;
    }
  }
  return best;
}

function toMechanismStatus(activity: unknown): MechanismStatus {
  const record = activity as Partial<MechanismStatus> & { hookCalls?: Record<string, number> | number };
  const byHook: Record<string, number> =
    typeof record.hookCalls === 'object' && record.hookCalls !== null ? record.hookCalls : {};
  const total =
    typeof record.hookCalls === 'number'
      ? record.hookCalls
      : Object.values(byHook).reduce((sum: number, calls: number) => sum + calls, 0);
  return {
    name: String(record.name),
    origin: String(record.origin ?? 'builtin'),
    status: String(record.status ?? 'active'),
    hookCalls: total,
    hookCallsByHook: byHook,
    decisionsChanged: Number(record.decisionsChanged ?? 0),
    strikes: Number(record.strikes ?? 0),
    ...(record.retiredReason ? { retiredReason: record.retiredReason } : {}),
  };
}
