// The dashboard's front page as data: every run (state, task, levels, proposer, progress, best vs baseline, time
// left, workers) and every study (groups, repeats, runs done), read with a few small queries per run.
import { studyDefinitionSchema } from '../ablate/study-definition.js';
import type { MetricDirection } from '../core/metric-direction.js';
import { bestTrial, progressWindow, type RunProgress, runProgress } from '../report/run-status.js';
import type { Database } from '../storage/database.js';
import { listRuns } from '../storage/runs-table.js';
import { listStudies, listStudyRuns } from '../storage/study-tables.js';
import { keptTrialMetrics, recentTrialTimes, trialDigests, trialsInFlight } from '../storage/trial-reads.js';

export interface RunSummaryView {
  id: string;
  task: string;
  state: string;
  stateReason: string;
  levels: string[];
  proposer: string;
  metric: { name: string; direction: MetricDirection };
  /** Trials recorded and planned, the baseline included in both. */
  trials: number;
  plannedTrials: number;
  baseline: number | null;
  best: { trial: number; metric: number } | null;
  progress: RunProgress;
  /** Workers the run was configured with, where the run config says. */
  workers: number | null;
  /** Trials held by workers right now (where the database records them). */
  inFlight: number;
  /** The study this run belongs to, if any. */
  study: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StudySummaryView {
  id: string;
  task: string;
  groups: { name: string; levels: string[] }[];
  repeats: number;
  /** Trials per run after the baseline. */
  trials: number;
  /** Runs recorded so far, and how many of them finished. */
  runs: number;
  finished: number;
  /** Runs the study will hold when complete (groups × repeats). */
  plannedRuns: number;
  createdAt: string;
  /** Why the stored definition could not be read (from another version of bilevel); absent when it could. */
  problem?: string;
}

export interface OverviewView {
  runs: RunSummaryView[];
  studies: StudySummaryView[];
}

/** Runs newest first; studies newest first. */
export function buildOverview(database: Database): OverviewView {
  const digests = new Map(trialDigests(database).map((digest) => [digest.runId, digest]));
  const studies = listStudies(database);
  const studyOfRun = new Map<string, string>();
  const studyRows = new Map(studies.map((study) => [study.id, listStudyRuns(database, study.id)]));
  for (const [studyId, rows] of studyRows) for (const row of rows) studyOfRun.set(row.runId, studyId);
  const runs = listRuns(database).map((run): RunSummaryView => {
    const digest = digests.get(run.id);
    const best = bestTrial(
      keptTrialMetrics(database, run.id).map((trial) => ({ ...trial, status: 'keep' as const })),
      run.metric.direction,
    );
    const inFlight = trialsInFlight(database, run.id);
    return {
      id: run.id,
      task: run.taskName,
      state: run.state,
      stateReason: run.stateReason,
      levels: run.config.levels,
      proposer: run.config.proposer,
      metric: run.metric,
      trials: digest?.trials ?? 0,
      plannedTrials: run.config.trials + 1,
      baseline: digest?.baseline ?? null,
      best: best ? { trial: best.index, metric: best.metric } : null,
      progress: runProgress(run, recentTrialTimes(database, run.id, progressWindow), digest?.trials ?? 0, inFlight),
      workers: run.config.workers,
      inFlight: inFlight.length,
      study: studyOfRun.get(run.id) ?? null,
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
    };
  });
  const runState = new Map(runs.map((run) => [run.id, run.state]));
  return {
    runs: runs.reverse(),
    studies: studies
      .map((study): StudySummaryView => {
        const rows = studyRows.get(study.id) ?? [];
        const finished = rows.filter((row) => runState.get(row.runId) === 'finished').length;
        const parsed = studyDefinitionSchema.safeParse(study.definition);
        if (!parsed.success) {
          return {
            id: study.id,
            task: '',
            groups: [],
            repeats: 0,
            trials: 0,
            runs: rows.length,
            finished,
            plannedRuns: rows.length,
            createdAt: study.createdAt,
            problem: `its definition does not fit this bilevel's: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
          };
        }
        const definition = parsed.data;
        return {
          id: study.id,
          task: definition.controls.task,
          groups: definition.groups.map((group) => ({ name: group.name, levels: group.levels })),
          repeats: definition.repeats,
          trials: definition.controls.trials,
          runs: rows.length,
          finished,
          plannedRuns: definition.groups.length * definition.repeats,
          createdAt: study.createdAt,
        };
      })
      .reverse(),
  };
}
