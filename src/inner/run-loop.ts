// The run as a durable state machine: baseline, then trials until the plan is done or a mechanism stops it.
// Every finished trial is one database transaction; anything after the last one is redone on resume.
import { updateRunState } from '../storage/runs-table.js';
import { runBaseline } from './baseline-trial.js';
import { brokenTaskError, failedBaselineNote } from './broken-task.js';
import { liveMechanismContext } from './live-context.js';
import { prepareTask } from './prepare-task.js';
import type { RunSession } from './run-session.js';
import { type RunEnd, runEndOf } from './stop-rule.js';
import { runTrial } from './trial-cycle.js';

/** Drives the run from wherever its record stands to the end. Marks the run's final state; never leaves it `running`. */
export async function driveRun(session: RunSession): Promise<RunEnd> {
  const { database, run, config, history } = session;
  updateRunState(database, run.id, 'running', '', process.pid);
  try {
    await prepareTask(session);
    if (history.count === 0) {
      session.onProgress({ type: 'trial-start', index: 0, total: config.trials });
      const baseline = await runBaseline(session);
      session.onProgress({ type: 'trial-end', trial: baseline, total: config.trials, best: history.incumbent });
      if (baseline.metric === null) session.onProgress({ type: 'note', message: failedBaselineNote(baseline.reason) });
    }
    let stopReason = '';
    while (history.count <= config.trials) {
      const index = history.count;
      const broken = brokenTaskError(history, session.paths);
      if (broken) throw broken;
      const stop = await session.mechanisms.shouldStop(liveMechanismContext(session, index));
      if (stop) {
        stopReason = `stopped early by ${stop.by}: ${stop.reason}`;
        break;
      }
      const settings = await session.outer?.runDueCycle(session, index);
      if (settings) session.settings = settings;
      await session.meta?.runDue(session, index);
      session.onProgress({ type: 'trial-start', index, total: config.trials });
      const trial = await runTrial(session, index);
      session.onProgress({ type: 'trial-end', trial, total: config.trials, best: history.incumbent });
    }
    await session.mechanisms.onRunEnd(liveMechanismContext(session, history.count));
    await resetToIncumbent(session);
    updateRunState(database, run.id, 'finished', stopReason, null);
    return { state: 'finished', reason: stopReason };
  } catch (error) {
    const end = runEndOf(error);
    updateRunState(database, run.id, end.state, end.reason, null);
    if (end.state === 'failed') throw error;
    return end;
  } finally {
    await session.dispose();
  }
}

/** Leaves the working copy at the best kept state, so the user can look at it. */
async function resetToIncumbent(session: RunSession): Promise<void> {
  await session.workspace.resetTo(session.history.incumbent?.commit ?? session.run.baselineCommit);
}
