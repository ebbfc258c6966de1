// The run as a durable state machine: baseline, then trials until the plan is done or a mechanism stops it, up to one
// trial per slot at a time. Every finished trial is one database transaction; a trial in flight is stored as proposed,
// so a resume runs it again; anything else after the last transaction is redone on resume.
import { updateRunState } from '../storage/runs-table.js';
import { runBaseline } from './baseline-trial.js';
import { brokenTaskError, failedBaselineNote } from './broken-task.js';
import { liveMechanismContext } from './live-context.js';
import { prepareTask } from './prepare-task.js';
import type { RunSession } from './run-session.js';
import { type RunEnd, runEndOf } from './stop-rule.js';
import { finishTrial, type ProposedTrial, proposeTrial, reviveTrial } from './trial-cycle.js';
import type { TrialSlot } from './trial-slot.js';

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
    const stopReason = await runTrials(session);
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

/**
 * Keeps every slot busy until the plan is done: trials are proposed one at a time, in index order, each into a free
 * slot, and finish in any order (each is judged against the incumbent when it finishes). A Level 1.5 or Level 2 cycle
 * due before trial k waits until trials < k have all finished; no trial is proposed meanwhile. A stop (a mechanism's,
 * a broken task) lets the trials in flight finish. Returns the early-stop reason, or '' when the plan was done.
 */
async function runTrials(session: RunSession): Promise<string> {
  const { config, history } = session;
  const free: TrialSlot[] = [...session.slots];
  const running = new Map<number, Promise<{ index: number; slot: TrialSlot }>>();
  let failure: unknown;
  let stopReason = '';

  const start = (proposed: ProposedTrial): void => {
    const index = proposed.pending.index;
    const done = finishTrial(session, proposed).then((trial) => {
      session.onProgress({ type: 'trial-end', trial, total: config.trials, best: history.incumbent });
      return { index, slot: proposed.slot };
    });
    // A failure is kept and rethrown once every other trial in flight has settled.
    running.set(
      index,
      done.catch((error: unknown) => {
        failure ??= error;
        return { index, slot: proposed.slot };
      }),
    );
  };
  const waitForOne = async (): Promise<void> => {
    const { index, slot } = await Promise.race(running.values());
    running.delete(index);
    free.push(slot);
    free.sort((a, b) => a.id - b.id);
  };

  try {
    // Trials that were in flight when the run last stopped go first, as they were proposed.
    for (const pending of session.interrupted) {
      if (free.length === 0) await waitForOne();
      const slot = free.shift() as TrialSlot;
      session.onProgress({ type: 'trial-start', index: pending.index, total: config.trials });
      const revived = await reviveTrial(session, pending, slot);
      if ('recorded' in revived) {
        free.unshift(slot);
        session.onProgress({
          type: 'trial-end',
          trial: revived.recorded,
          total: config.trials,
          best: history.incumbent,
        });
      } else start(revived.proposed);
    }

    let next = session.nextIndex;
    while (failure === undefined && next <= config.trials) {
      if (free.length === 0) {
        await waitForOne();
        continue;
      }
      const due = session.outer?.isDue(next) || session.meta?.isDue(session, next);
      if (due && running.size > 0) {
        await waitForOne();
        continue;
      }
      const broken = brokenTaskError(history, session.paths);
      if (broken) throw broken;
      const stop = await session.mechanisms.shouldStop(liveMechanismContext(session, next));
      if (stop) {
        stopReason = `stopped early by ${stop.by}: ${stop.reason}`;
        break;
      }
      if (due) {
        const settings = await session.outer?.runDueCycle(session, next);
        if (settings) session.settings = settings;
        await session.meta?.runDue(session, next);
      }
      const slot = free.shift() as TrialSlot;
      session.onProgress({ type: 'trial-start', index: next, total: config.trials });
      const outcome = await proposeTrial(session, slot, next);
      next += 1;
      if ('recorded' in outcome) {
        free.unshift(slot);
        session.onProgress({
          type: 'trial-end',
          trial: outcome.recorded,
          total: config.trials,
          best: history.incumbent,
        });
      } else start(outcome.proposed);
    }
  } catch (error) {
    failure ??= error;
  }
  // Whatever happened, no trial is left running: the ones in flight finish (or, on Ctrl-C, are killed) first.
  while (running.size > 0) await waitForOne();
  if (failure !== undefined) throw failure;
  return stopReason;
}

/** Leaves the main working copy on the run's branch at the best kept state, so the user can look at it. */
async function resetToIncumbent(session: RunSession): Promise<void> {
  const main = session.slots[0];
  if (!main) return;
  await main.workspace.checkoutBranchAt(
    session.run.branch,
    session.history.incumbent?.commit ?? session.run.baselineCommit,
  );
}
