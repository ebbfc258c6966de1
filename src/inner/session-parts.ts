// Builds what a session needs from a run's stored config: the proposer, the mechanisms and Level 1.5.
// Used by both `run` and `resume`, so a resumed run is assembled exactly like the original.
import { BilevelError } from '../core/errors.js';
import { createAnalyst } from '../outer/create-analyst.js';
import { createOuterLoop } from '../outer/outer-loop.js';
import type { Database } from '../storage/database.js';
import type { RunRecord } from '../storage/runs-table.js';
import { insertSettingsSnapshot, listSettingsSnapshots } from '../storage/settings-table.js';
import { recentTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import { toTrialView } from './live-context.js';
import type { SessionParts } from './open-run.js';
import { createRandomProposer } from './random-proposer.js';
import type { RunSession } from './run-session.js';

/** Trials Level 1.5 reads per cycle: enough for every param's record, bounded so a cycle's cost stays flat. */
const outerTraceLimit = 1000;

export async function buildSessionParts(
  database: Database,
  run: RunRecord,
  task: Task,
  options: Pick<SessionParts, 'signal' | 'onProgress' | 'executor'>,
): Promise<SessionParts> {
  const { config } = run;
  if (config.proposer !== 'random') {
    throw new BilevelError('CONFIG', 'the LLM proposer is not available in this build', {
      hint: 'use --proposer random',
    });
  }
  const parts: SessionParts = { ...options, proposer: createRandomProposer() };
  if (config.levels.includes('1.5')) Object.assign(parts, levelOnePointFive(database, run, task));
  return parts;
}

/** Level 1.5: every `outerEvery` trials, an analyst reads the trace and replaces the search settings. */
function levelOnePointFive(database: Database, run: RunRecord, task: Task): Pick<SessionParts, 'outer' | 'settings'> {
  const loop = createOuterLoop({
    analyst: createAnalyst({ kind: 'rules' }),
    everyTrials: run.config.outerEvery,
    snapshots: listSettingsSnapshots(database, run.id),
  });
  return {
    settings: loop.current(),
    outer: {
      async runDueCycle(session: RunSession, nextIndex: number): Promise<void> {
        const lastTrial = nextIndex - 1;
        if (!loop.isDue(lastTrial)) return;
        const snapshot = await loop.runCycle({
          trialIndex: lastTrial,
          params: task.params,
          history: recentTrials(database, run.id, outerTraceLimit).map(toTrialView),
          direction: task.definition.metric.direction,
          metricName: task.definition.metric.name,
          task: { name: task.definition.name, description: task.definition.description },
          signal: session.signal,
        });
        insertSettingsSnapshot(database, run.id, snapshot.cycle, snapshot.afterTrial, snapshot);
        session.settings = snapshot.settings;
        session.onProgress({ type: 'settings', cycle: snapshot.cycle, changes: [...snapshot.changes] });
      },
    },
  };
}
