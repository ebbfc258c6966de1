// The run page as data: the header (state, progress, best vs baseline), the chart, Level 1.5 snapshots, mechanisms
// and meta sessions — everything but the trials table, which is paged (trial-reads.ts), so 10,000 trials stay fast.
import type { MetricDirection } from '../core/metric-direction.js';
import type { RunConfig } from '../records/run-config.js';
import { parseSettingsSnapshot, type SettingsSnapshot } from '../records/settings-snapshot.js';
import type { TrialStatus } from '../records/trial-record.js';
import { changedParams } from '../report/best-change-section.js';
import {
  bestTrial,
  type MechanismStatus,
  mechanismStatuses,
  progressWindow,
  type RunProgress,
  runProgress,
} from '../report/run-status.js';
import type { Database } from '../storage/database.js';
import { type LlmUsageSummary, summarizeLlmCalls } from '../storage/llm-calls-table.js';
import { listLifecycle, listMetaSessionSummaries, type MetaSessionSummary } from '../storage/meta-tables.js';
import { getRun } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import {
  recentTrialTimes,
  type TrialInFlight,
  trialPoints,
  trialsInFlight,
  trialWhole,
} from '../storage/trial-reads.js';
import type { ParamValue } from '../task/task-definition.js';
import { type RunChartData, runChartData } from './run-chart-data.js';

/** Level 1.5 cycles and Level 2 sessions the run page gets at first; the rest on request (a long run has thousands). */
export const recentShown = 20;

export interface RunView {
  id: string;
  task: string;
  state: string;
  stateReason: string;
  levels: string[];
  proposer: string;
  mode: string;
  seed: number;
  metric: { name: string; direction: MetricDirection };
  /** Trials recorded and planned, the baseline included in both. */
  trials: number;
  plannedTrials: number;
  counts: Record<TrialStatus, number>;
  baseline: number | null;
  /** The best kept trial, and the params it changed from the baseline (name → [baseline, best]). */
  best: { trial: number; metric: number; changed: Record<string, [ParamValue, ParamValue]> } | null;
  progress: RunProgress;
  inFlight: TrialInFlight[];
  llm: LlmUsageSummary & { model: string | null };
  /** The run's stored configuration (budget, cadences, mechanisms, and whatever newer versions record there). */
  config: RunConfig;
  createdAt: string;
  updatedAt: string;
  chart: RunChartData;
  /** The last `recentShown` Level 1.5 cycles, and how many there are (all: `/api/runs/:id/snapshots`). */
  snapshots: SettingsSnapshot[];
  snapshotCount: number;
  mechanisms: MechanismStatus[];
  /** The last `recentShown` meta sessions, and how many there are (all: `/api/runs/:id/sessions`). */
  sessions: MetaSessionSummary[];
  sessionCount: number;
}

export function buildRunView(database: Database, runId: string): RunView {
  const run = getRun(database, runId);
  const points = trialPoints(database, runId);
  const inFlight = trialsInFlight(database, runId);
  const snapshots = listSettingsSnapshots<Partial<SettingsSnapshot>>(database, runId);
  const sessions = listMetaSessionSummaries(database, runId);
  const lifecycle = listLifecycle(database, runId);
  // One scan of the trials gives the chart, the counts and the best (a 10,000-trial run's rows are megabytes).
  const best = bestTrial(points, run.metric.direction);
  const counts: Record<TrialStatus, number> = { keep: 0, discard: 0, crash: 0, timeout: 0, rejected: 0 };
  for (const point of points) counts[point.status] += 1;
  const baselineTrial = trialWhole(database, runId, 0);
  const bestWhole = best ? trialWhole(database, runId, best.index) : undefined;
  return {
    id: run.id,
    task: run.taskName,
    state: run.state,
    stateReason: run.stateReason,
    levels: run.config.levels,
    proposer: run.config.proposer,
    mode: run.config.mode,
    seed: run.config.seed,
    metric: run.metric,
    trials: points.length,
    plannedTrials: run.config.trials + 1,
    counts,
    baseline: baselineTrial?.metric ?? null,
    best:
      best && bestWhole
        ? {
            trial: best.index,
            metric: best.metric as number,
            changed: baselineTrial
              ? changedParams(
                  baselineTrial.values as Record<string, ParamValue>,
                  bestWhole.values as Record<string, ParamValue>,
                )
              : {},
          }
        : null,
    progress: runProgress(run, recentTrialTimes(database, runId, progressWindow), points.length, inFlight),
    inFlight,
    llm: { model: run.config.llm?.default ?? null, ...summarizeLlmCalls(database, runId) },
    config: run.config,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    chart: runChartData({
      metricName: run.metric.name,
      direction: run.metric.direction,
      trials: points,
      snapshots: snapshots.map((snapshot) => ({
        cycle: Number(snapshot.cycle),
        afterTrial: Number(snapshot.afterTrial),
        changes: Array.isArray(snapshot.changes) ? snapshot.changes.map(String) : [],
      })),
      sessions,
      lifecycle,
    }),
    snapshots: snapshots.slice(-recentShown).map(parseSettingsSnapshot),
    snapshotCount: snapshots.length,
    mechanisms: mechanismStatuses(database, runId),
    sessions: sessions.slice(-recentShown),
    sessionCount: sessions.length,
  };
}
