// The study's results as one plain object (report.json): runs, per-group statistics, comparisons, activity.
import { improvement, type MetricDirection } from '../core/metric-direction.js';
import { buildRunStatus, type MechanismStatus } from '../report/run-status.js';
import { compareGroups, type GroupComparison } from '../stats/compare-groups.js';
import { type GroupSummary, summarizeGroup } from '../stats/summarize-group.js';
import type { Database } from '../storage/database.js';
import { listMetaSessions } from '../storage/meta-tables.js';
import { listStudyRuns } from '../storage/study-tables.js';
import { runConfigFor, studyReachWarnings } from './study-config.js';
import { type StudyDefinition, studyId } from './study-definition.js';

export interface StudyRunReport {
  /** 0-based; the run's seed is `firstSeed + repeat`. */
  repeat: number;
  seed: number;
  runId: string;
  state: string;
  /** Trial 0's metric (null when the baseline crashed). */
  baseline: number | null;
  /** The baseline improvements are measured from: this run's own, or the repeat's first group's (shared). */
  baselineUsed: number | null;
  best: { trial: number; metric: number } | null;
  /** Direction-aware, metric units, positive = better; null when not finished or no baseline/best metric. */
  improvement: number | null;
  /** Trials recorded, the baseline included. */
  trials: number;
  /** Seconds the study spent driving this run. */
  seconds: number;
  llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  mechanisms: MechanismStatus[];
  /** Level 1.5 cycles run, and how many changed the search settings. */
  outerCycles: number;
  outerCyclesWithChanges: number;
  /** Level 2 sessions run, and how many activated a mechanism. */
  metaSessions: number;
  metaSessionsActivated: number;
  /** Running best improvement by trial (index 0 = baseline); null before the first kept metric. */
  convergence: (number | null)[];
}

export interface MechanismTotals {
  name: string;
  origin: string;
  /** Runs of the group in which it was active. */
  runs: number;
  hookCalls: number;
  hookCallsByHook: Record<string, number>;
  decisionsChanged: number;
  strikes: number;
}

export interface StudyGroupReport {
  name: string;
  levels: string[];
  /** The proposer spec its runs used: the group's own, else the study's. */
  proposer: string;
  mechanisms: string[];
  runs: StudyRunReport[];
  /** Repeats with an improvement (those in the statistics), and the ones left out (unfinished or no metric). */
  repeats: number;
  excluded: number;
  improvements: number[];
  /** null when no repeat has an improvement. */
  summary: GroupSummary | null;
  /** The repeat with the largest improvement (first on ties). */
  bestRun: { repeat: number; runId: string; improvement: number } | null;
  seconds: { total: number; meanPerRun: number | null };
  llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  activity: {
    hookCalls: number;
    decisionsChanged: number;
    outerCycles: number;
    outerCyclesWithChanges: number;
    metaSessions: number;
    metaSessionsActivated: number;
  };
  mechanismTotals: MechanismTotals[];
}

export interface StudyComparison extends GroupComparison {
  /** Compared as `a` minus `b` (positive mean difference: `a` improved more). */
  a: string;
  b: string;
  n: { a: number; b: number };
}

export interface StudyReport {
  version: 'study-report-v1';
  studyId: string;
  generatedAt: string;
  /** True when every group × repeat finished. */
  complete: boolean;
  task: { name: string; metric: { name: string; direction: MetricDirection } };
  definition: StudyDefinition;
  protocol: { seeds: string; baseline: string; restart: string; order: string };
  groups: StudyGroupReport[];
  /** Every pair, later group vs earlier group (e.g. C vs A). */
  comparisons: StudyComparison[];
  /** Levels a group asks for but cannot (or may not) run within the trials (study-config.ts studyReachWarnings). */
  warnings: string[];
}

/** Reads every run of the study from the database and computes the statistics (deterministic for fixed runs). */
export function buildStudyReport(database: Database, definition: StudyDefinition): StudyReport {
  const id = studyId(definition);
  const rows = listStudyRuns(database, id);
  const statusOf = new Map(rows.map((row) => [row.runId, buildRunStatus(database, row.runId)]));
  const first = rows.map((row) => statusOf.get(row.runId)).find((status) => status !== undefined);
  const metric = first?.metric ?? { name: 'metric', direction: 'minimize' as const };
  const firstGroup = definition.groups[0]?.name;
  const sharedBaseline = (repeat: number): number | null => {
    const row = rows.find((candidate) => candidate.group === firstGroup && candidate.repeat === repeat);
    return row ? (statusOf.get(row.runId)?.baseline ?? null) : null;
  };
  const groups = definition.groups.map((group, groupIndex): StudyGroupReport => {
    const runs = rows
      .filter((row) => row.group === group.name)
      .sort((a, b) => a.repeat - b.repeat)
      .map((row): StudyRunReport => {
        const status = statusOf.get(row.runId) as ReturnType<typeof buildRunStatus>;
        const baselineUsed = definition.baseline === 'shared' ? sharedBaseline(row.repeat) : status.baseline;
        const usable = status.state === 'finished' && baselineUsed !== null && status.best !== null;
        const snapshots = status.settingsHistory as { changes?: unknown[] }[];
        const sessions = listMetaSessions(database, row.runId);
        return {
          repeat: row.repeat,
          seed: status.seed,
          runId: row.runId,
          state: status.state,
          baseline: status.baseline,
          baselineUsed,
          best: status.best,
          improvement: usable
            ? improvement(baselineUsed, (status.best as { metric: number }).metric, metric.direction)
            : null,
          trials: status.trials.length,
          seconds: row.driveSeconds,
          llm: {
            calls: status.llm.calls,
            inputTokens: status.llm.inputTokens,
            outputTokens: status.llm.outputTokens,
            costUsd: status.llm.costUsd,
          },
          mechanisms: status.mechanisms,
          outerCycles: snapshots.length,
          outerCyclesWithChanges: snapshots.filter((snapshot) => (snapshot.changes?.length ?? 0) > 0).length,
          metaSessions: sessions.length,
          metaSessionsActivated: sessions.filter((session) => session.outcome === 'activated').length,
          convergence: convergenceOf(status.trials, baselineUsed, metric.direction),
        };
      });
    const improvements = runs.flatMap((run) => (run.improvement === null ? [] : [run.improvement]));
    const total = runs.reduce((sum, run) => sum + run.seconds, 0);
    const finished = runs.filter((run) => run.state === 'finished');
    const mechanismTotals = totalsOf(runs);
    return {
      name: group.name,
      levels: group.levels,
      proposer: group.proposer ?? definition.controls.proposer,
      mechanisms: runConfigFor(definition, group, 0).mechanisms,
      runs,
      repeats: improvements.length,
      excluded: definition.repeats - improvements.length,
      improvements,
      summary: improvements.length === 0 ? null : summarizeGroup(improvements, { seed: groupIndex }),
      bestRun: bestRunOf(runs),
      seconds: {
        total,
        meanPerRun:
          finished.length === 0 ? null : finished.reduce((sum, run) => sum + run.seconds, 0) / finished.length,
      },
      llm: sumLlm(runs),
      activity: {
        hookCalls: mechanismTotals.reduce((sum, entry) => sum + entry.hookCalls, 0),
        decisionsChanged: mechanismTotals.reduce((sum, entry) => sum + entry.decisionsChanged, 0),
        outerCycles: runs.reduce((sum, run) => sum + run.outerCycles, 0),
        outerCyclesWithChanges: runs.reduce((sum, run) => sum + run.outerCyclesWithChanges, 0),
        metaSessions: runs.reduce((sum, run) => sum + run.metaSessions, 0),
        metaSessionsActivated: runs.reduce((sum, run) => sum + run.metaSessionsActivated, 0),
      },
      mechanismTotals,
    };
  });
  const comparisons: StudyComparison[] = [];
  for (let later = 1; later < groups.length; later += 1) {
    for (let earlier = 0; earlier < later; earlier += 1) {
      const a = groups[later] as StudyGroupReport;
      const b = groups[earlier] as StudyGroupReport;
      if (a.improvements.length === 0 || b.improvements.length === 0) continue;
      comparisons.push({
        a: a.name,
        b: b.name,
        n: { a: a.improvements.length, b: b.improvements.length },
        ...compareGroups(a.improvements, b.improvements, { seed: 0 }),
      });
    }
  }
  const seed = definition.firstSeed;
  return {
    version: 'study-report-v1',
    studyId: id,
    generatedAt: new Date().toISOString(),
    complete: groups.every(
      (group) => group.runs.filter((run) => run.state === 'finished').length === definition.repeats,
    ),
    task: { name: first?.task ?? definition.controls.task, metric },
    definition,
    warnings: studyReachWarnings(definition),
    protocol: {
      seeds: `repeat r (0-based) of every group uses seed ${seed === 0 ? 'r' : `${seed} + r`}, so the groups share seeds and task noise`,
      baseline:
        definition.baseline === 'shared'
          ? `shared: every run's improvement is measured from the baseline (trial 0) of the same repeat's first group (${firstGroup})`
          : "per-group: every run's improvement is measured from its own baseline (trial 0)",
      restart:
        definition.restart.from === 'none'
          ? 'none: no restart mechanism in any group'
          : `plateau-restart in every group: after ${definition.restart.every} trials without a new best, branch from the ${definition.restart.from === 'best' ? 'best' : 'most recent'} kept trial for ${definition.restart.duration} trial(s)`,
      order: 'repeat-major: repeat 0 of every group, then repeat 1, …; runs one at a time',
    },
    groups,
    comparisons,
  };
}

/** Running best improvement by trial, counting kept trials only (the incumbent's path). */
function convergenceOf(
  trials: readonly { status: string; metric: number | null }[],
  baseline: number | null,
  direction: MetricDirection,
): (number | null)[] {
  let best: number | null = null;
  return trials.map((trial) => {
    if (baseline !== null && trial.status === 'keep' && trial.metric !== null) {
      const value = improvement(baseline, trial.metric, direction);
      if (best === null || value > best) best = value;
    }
    return best;
  });
}

function bestRunOf(runs: readonly StudyRunReport[]): StudyGroupReport['bestRun'] {
  let best: StudyGroupReport['bestRun'] = null;
  for (const run of runs) {
    if (run.improvement !== null && (best === null || run.improvement > best.improvement)) {
      best = { repeat: run.repeat, runId: run.runId, improvement: run.improvement };
    }
  }
  return best;
}

function sumLlm(runs: readonly StudyRunReport[]): StudyGroupReport['llm'] {
  return runs.reduce(
    (sum, run) => ({
      calls: sum.calls + run.llm.calls,
      inputTokens: sum.inputTokens + run.llm.inputTokens,
      outputTokens: sum.outputTokens + run.llm.outputTokens,
      costUsd: sum.costUsd + run.llm.costUsd,
    }),
    { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
}

function totalsOf(runs: readonly StudyRunReport[]): MechanismTotals[] {
  const totals = new Map<string, MechanismTotals>();
  for (const run of runs) {
    for (const mechanism of run.mechanisms) {
      const entry = totals.get(mechanism.name) ?? {
        name: mechanism.name,
        origin: mechanism.origin,
        runs: 0,
        hookCalls: 0,
        hookCallsByHook: {},
        decisionsChanged: 0,
        strikes: 0,
      };
      entry.runs += 1;
      entry.hookCalls += mechanism.hookCalls;
      entry.decisionsChanged += mechanism.decisionsChanged;
      entry.strikes += mechanism.strikes;
      for (const [hook, calls] of Object.entries(mechanism.hookCallsByHook)) {
        entry.hookCallsByHook[hook] = (entry.hookCallsByHook[hook] ?? 0) + calls;
      }
      totals.set(mechanism.name, entry);
    }
  }
  return [...totals.values()];
}
