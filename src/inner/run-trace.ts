// A run's recorded trials as traces: for resume (state rebuilt through onTrialEnd) and for the gate's replay.

import { type RecordedTrace, type RecordedTrial, toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { RunRecord } from '../records/run-record.js';
import { defaultSearchSettings, type SearchSettings } from '../records/search-settings.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { getTrial, recentTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import { toTunableView } from './live-context.js';

/** Trials a meta session reads (diagnosis and gate replay): the baseline plus the most recent ones. */
export const metaTraceLimit = 1000;

/** The baseline and the last `limit - 1` trials, oldest first (all trials when there are fewer). */
export function metaTrials(database: Database, runId: string, limit = metaTraceLimit): TrialRecord[] {
  const recent = recentTrials(database, runId, limit);
  const baseline = getTrial(database, runId, 0);
  if (!baseline || recent[0]?.index === 0) return recent;
  return [baseline, ...recent.slice(1)];
}

/**
 * A trace whose trials carry the proposal that was screened and the outcome the judge saw (verdict = the
 * recorded status), so replay can ask screenProposal and judgeOutcome too, not only the prompt hooks.
 */
export function gateTrace(
  database: Database,
  run: RunRecord,
  task: Task,
  trials: readonly TrialRecord[],
): RecordedTrace {
  const base = recordedTrace(database, run, task, trials.map(toTrialRecordView));
  const byIndex = new Map(trials.map((trial) => [trial.index, trial]));
  return {
    ...base,
    trials: base.trials.map((trial): RecordedTrial => {
      const stored = byIndex.get(trial.index);
      if (!stored || trial.index === 0) return trial;
      const proposal = stored.proposal
        ? {
            kind: stored.proposal.kind,
            values: stored.values,
            changed: stored.changed,
            summary: stored.summary,
            files: stored.proposal.kind === 'code' ? [...new Set(stored.proposal.edits.map((edit) => edit.file))] : [],
          }
        : null;
      const outcome =
        stored.status === 'keep' || stored.status === 'discard'
          ? { status: 'ok' as const, metric: stored.metric, verdict: stored.status, confirmations: [] }
          : stored.status === 'crash' || stored.status === 'timeout'
            ? { status: stored.status, metric: null, verdict: 'discard' as const, confirmations: [] }
            : null;
      return { ...trial, proposal, outcome, ...(stored.inFlight.length > 0 ? { inFlight: stored.inFlight } : {}) };
    }),
  };
}

/** The stored trials as a trace, with the Level 1.5 settings each trial ran under. */
export function recordedTrace(
  database: Database,
  run: RunRecord,
  task: Task,
  trials: ReturnType<typeof toTrialRecordView>[],
): RecordedTrace {
  const snapshots = listSettingsSnapshots<{ afterTrial: number; settings: SearchSettings }>(database, run.id);
  const settingsAt = (index: number): SearchSettings =>
    snapshots.filter((snapshot) => snapshot.afterTrial < index).at(-1)?.settings ?? defaultSearchSettings;
  return {
    version: 'trace-v1',
    seed: run.config.seed,
    task: {
      name: task.definition.name,
      metric: { name: task.definition.metric.name, direction: task.definition.metric.direction },
      mode: run.config.mode,
    },
    tunables: task.params.map(toTunableView),
    settings: defaultSearchSettings,
    trials: trials.map((trial) => ({ ...trial, proposal: null, outcome: null, settings: settingsAt(trial.index) })),
  };
}
