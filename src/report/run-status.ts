// The status of a run as one plain object: what `bilevel status --json` prints and the human table shows.

import { isProcessAlive } from '../core/process-alive.js';
import type { PendingTrial } from '../records/pending-trial.js';
import type { RunRecord } from '../records/run-record.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import { type LlmUsageSummary, summarizeLlmCalls } from '../storage/llm-calls-table.js';
import { listMechanismActivity } from '../storage/mechanism-tables.js';
import { listLifecycle, listMetaSessions, type MechanismLifecycle } from '../storage/meta-tables.js';
import { listPendingTrials } from '../storage/pending-trials-table.js';
import { getRun, getRunIsolation, listRuns } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { listTrials } from '../storage/trials-table.js';
import type { ParamValue } from '../task/task-definition.js';
import { changedParams } from './best-change-section.js';

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
  /** Trial after which it joined the run (0: from the start). Always set by buildRunStatus. */
  activatedAt?: number;
  /** Trial after which it was retired; null while active. Always set by buildRunStatus. */
  retiredAt?: number | null;
  /** Level 2's probation evidence (window stats and verdict), for mechanisms Level 2 injected. */
  probation?: unknown;
}

/** One Level 2 session, as listed by status. */
export interface MetaSessionStatus {
  id: string;
  afterTrial: number;
  mode: string;
  trigger: string;
  outcome: string;
  mechanism: string | null;
  detail: string;
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
  /** The best kept trial; `changed`: the params whose value differs from the baseline's (name → [baseline, best]). */
  best: { trial: number; metric: number; changed?: Record<string, [ParamValue, ParamValue]> } | null;
  trials: {
    index: number;
    status: string;
    metric: number | null;
    commit: string | null;
    summary: string;
    reason: string;
    /** Who ran it (`local slot 2`, a queue worker); null in records from before slots. */
    worker: string | null;
    /** Who proposed it: `llm`, `random`, `optuna:tpe`, `mechanism:NAME`, …; null for the baseline. */
    proposer: string | null;
  }[];
  mechanisms: MechanismStatus[];
  /** Level 2 sessions, oldest first (empty without Level 2). Always set by buildRunStatus. */
  metaSessions?: MetaSessionStatus[];
  settingsHistory: unknown[];
  paths: { work: string };
  /**
   * How trials were isolated: what --isolation asked, what the last session got (`jail`, `none`, or `unknown` for
   * runs recorded before isolation was), and why not jailed. Always set by buildRunStatus.
   */
  isolation?: { requested: string; used: 'jail' | 'none' | 'unknown'; reason: string };
  /** Where a run stands in time: for the morning check and for scripts that poll. Always set by buildRunStatus. */
  progress?: RunProgress;
}

export interface RunProgress {
  /** Whether the process driving a `running` run is alive (false: it was killed; `resume` it); null otherwise. */
  driverAlive: boolean | null;
  /** Trials of the plan not yet recorded (the one in flight included). */
  remainingTrials: number;
  /** Mean seconds from a trial's start to its end over the last 20 trials; null before any. */
  meanTrialSeconds: number | null;
  /** remainingTrials × meanTrialSeconds while the run is alive and running; null otherwise. */
  etaSeconds: number | null;
  /** When the last recorded trial ended. */
  lastTrialEndedAt: string | null;
  /** Trials that may run at once (the run's workers). */
  workers: number;
  /** The trials in flight and who holds each (a slot of this machine, or a queue worker), oldest first. */
  inFlight: { index: number; worker: string; startedAt: string }[];
}

/** Trials the mean trial time is taken over: recent enough to follow a change of machine load. */
export const progressWindow = 20;

/**
 * Where a run stands in time, from its last `progressWindow` trials (`recent`, in any order), how many trials it
 * has recorded in all (`recorded`, the baseline included) and the trials in flight.
 */
export function runProgress(
  run: RunRecord,
  recent: readonly Pick<TrialRecord, 'startedAt' | 'endedAt'>[],
  recorded: number,
  pending: readonly Pick<PendingTrial, 'index' | 'worker' | 'startedAt'>[],
): RunProgress {
  const seconds = recent
    .map((trial) => (Date.parse(trial.endedAt) - Date.parse(trial.startedAt)) / 1000)
    .filter((value) => Number.isFinite(value) && value >= 0);
  const meanTrialSeconds =
    seconds.length === 0 ? null : seconds.reduce((sum, value) => sum + value, 0) / seconds.length;
  const remainingTrials = Math.max(0, run.config.trials + 1 - recorded);
  const driverAlive = run.state === 'running' ? run.pid !== null && isProcessAlive(run.pid) : null;
  return {
    driverAlive,
    remainingTrials,
    meanTrialSeconds,
    etaSeconds:
      driverAlive && meanTrialSeconds !== null ? (remainingTrials * meanTrialSeconds) / run.config.workers : null,
    lastTrialEndedAt: recent.reduce<string | null>(
      (last, trial) => (last === null || trial.endedAt > last ? trial.endedAt : last),
      null,
    ),
    workers: run.config.workers,
    inFlight: pending.map((trial) => ({ index: trial.index, worker: trial.worker, startedAt: trial.startedAt })),
  };
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
    best:
      best && best.metric !== null
        ? {
            trial: best.index,
            metric: best.metric,
            changed: trials[0] ? changedParams(trials[0].values, best.values) : {},
          }
        : null,
    trials: trials.map((trial) => ({
      index: trial.index,
      status: trial.status,
      metric: trial.metric,
      commit: trial.commit,
      summary: trial.summary,
      reason: trial.reason,
      worker: trial.worker,
      proposer: trial.proposer,
    })),
    mechanisms: mechanismStatuses(database, runId),
    metaSessions: listMetaSessions(database, runId).map((session) => ({
      id: session.id,
      afterTrial: session.afterTrial,
      mode: session.mode,
      trigger: session.trigger,
      outcome: session.outcome,
      mechanism: session.mechanism,
      detail: session.detail,
    })),
    settingsHistory: listSettingsSnapshots(database, runId),
    paths: { work: run.workDir },
    isolation: isolationStatus(database, run),
    progress: runProgress(run, trials.slice(-progressWindow), trials.length, listPendingTrials(database, run.id)),
  };
}

function isolationStatus(database: Database, run: RunRecord): NonNullable<RunStatus['isolation']> {
  const used = getRunIsolation(database, run.id);
  return {
    requested: run.config.isolation,
    used: used?.mode ?? 'unknown',
    reason: used?.mode === 'none' ? used.reason : '',
  };
}

/** The isolation in a few words: `jail (bubblewrap)`, or `none — why`. */
export function isolationWords(isolation: RunStatus['isolation']): string {
  if (!isolation || isolation.used === 'unknown') return 'not recorded (run from before the trial jail)';
  return isolation.used === 'jail' ? 'jail (bubblewrap)' : `none — trials ran unjailed: ${isolation.reason}`;
}

export function listRunSummaries(database: Database) {
  return listRuns(database).map((run) => {
    const trials = listTrials(database, run.id);
    const best = bestTrial(trials, run.metric.direction);
    return {
      id: run.id,
      task: run.taskName,
      state: run.state,
      /** For a `running` run: whether its driving process is alive (false: killed; `resume` it). */
      driverAlive: run.state === 'running' ? run.pid !== null && isProcessAlive(run.pid) : null,
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
export function bestTrial<Trial extends Pick<TrialRecord, 'status' | 'metric'>>(
  trials: readonly Trial[],
  direction: 'minimize' | 'maximize',
): Trial | undefined {
  let best: Trial | undefined;
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

/** Counters from the last stored trial, joined with Level 2's lifecycle (an injection not yet counted shows zeros). */
export function mechanismStatuses(database: Database, runId: string): MechanismStatus[] {
  const lifecycle = listLifecycle(database, runId);
  const statuses = listMechanismActivity(database, runId).map(({ activity }) => toMechanismStatus(activity));
  for (const entry of lifecycle) {
    if (!statuses.some((status) => status.name === entry.name)) {
      statuses.push(toMechanismStatus({ name: entry.name, origin: entry.origin, status: 'active' }));
    }
  }
  return statuses.map((status) =>
    withLifecycle(
      status,
      lifecycle.find((entry) => entry.name === status.name),
    ),
  );
}

function withLifecycle(status: MechanismStatus, entry: MechanismLifecycle | undefined): MechanismStatus {
  if (!entry) return status;
  const retired = entry.retiredAtTrial !== null;
  return {
    ...status,
    origin: entry.origin === 'generated' ? 'generated' : status.origin,
    status: retired ? 'retired' : status.status,
    activatedAt: entry.activatedAtTrial,
    retiredAt: entry.retiredAtTrial,
    ...(retired ? { retiredReason: entry.reason ?? status.retiredReason ?? '' } : {}),
    ...(entry.probation === null ? {} : { probation: entry.probation }),
  };
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
    activatedAt: 0,
    retiredAt: null,
  };
}
