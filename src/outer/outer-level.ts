// Level 1.5 in the loop: before a trial, when a cycle is due, the analyst reads the trace and the new settings are
// stored as an immutable snapshot (the settings every later trial runs under).

import type { CycleView } from '../inner/run-session.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { RunRecord } from '../records/run-record.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { Database } from '../storage/database.js';
import { insertSettingsSnapshot, listSettingsSnapshots } from '../storage/settings-table.js';
import { recentTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import type { Analyst } from './analyst.js';
import { createOuterLoop } from './outer-loop.js';

/** Trials Level 1.5 reads per cycle: enough for every param's record, bounded so a cycle's cost stays flat. */
const outerTraceLimit = 1000;

export interface OuterLevel {
  /** The settings in effect now (on a resume: the last stored snapshot's). */
  current(): SearchSettings;
  /** Whether a cycle is due before trial `nextIndex`. */
  isDue(nextIndex: number): boolean;
  /** Before trial `nextIndex`: runs a cycle if one is due and returns the settings it decided; undefined otherwise. */
  runDueCycle(view: CycleView, nextIndex: number): Promise<SearchSettings | undefined>;
}

export function createOuterLevel(options: {
  readonly database: Database;
  readonly run: RunRecord;
  readonly task: Task;
  readonly analyst: Analyst;
}): OuterLevel {
  const { database, run, task } = options;
  const loop = createOuterLoop({
    analyst: options.analyst,
    everyTrials: run.config.outerEvery,
    snapshots: listSettingsSnapshots(database, run.id),
  });
  return {
    current: () => loop.current(),
    isDue: (nextIndex) => loop.isDue(nextIndex - 1),
    async runDueCycle(view, nextIndex) {
      const lastTrial = nextIndex - 1;
      if (!loop.isDue(lastTrial)) return undefined;
      const snapshot = await loop.runCycle({
        trialIndex: lastTrial,
        params: task.params,
        history: recentTrials(database, run.id, outerTraceLimit).map(toTrialRecordView),
        direction: task.definition.metric.direction,
        metricName: task.definition.metric.name,
        task: { name: task.definition.name, description: task.definition.description },
        signal: view.signal,
      });
      insertSettingsSnapshot(database, run.id, snapshot.cycle, snapshot.afterTrial, snapshot);
      if (snapshot.ok) view.onProgress({ type: 'settings', cycle: snapshot.cycle, changes: [...snapshot.changes] });
      else
        view.onProgress({
          type: 'note',
          message: `level 1.5 cycle ${snapshot.cycle} skipped, the settings stay as they were: ${snapshot.error ?? 'the analysis failed'}`,
        });
      return snapshot.settings;
    },
  };
}
