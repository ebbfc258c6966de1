// The run as a durable state machine: baseline, then trials until the plan is done or a mechanism stops it.
// Every finished trial is one database transaction; anything after the last one is redone on resume.
import { BilevelError, isBilevelError } from '../core/errors.js';
import { isLlmCallError } from '../llm/llm-call-error.js';
import { updateRunState } from '../storage/runs-table.js';
import { runBaseline } from './baseline-trial.js';
import { brokenTaskError, failedBaselineNote } from './broken-task.js';
import { RunInterrupted } from './execute-trial.js';
import { liveMechanismContext } from './live-context.js';
import type { RunSession } from './run-session.js';
import { runTrial } from './trial-cycle.js';

export interface RunEnd {
  state: 'finished' | 'interrupted' | 'failed';
  reason: string;
}

/** Drives the run from wherever its record stands to the end. Marks the run's final state; never leaves it `running`. */
export async function driveRun(session: RunSession): Promise<RunEnd> {
  const { database, run, config, history } = session;
  updateRunState(database, run.id, 'running', '', process.pid);
  try {
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
      if (stop.stop) {
        stopReason = `stopped early by ${stop.by ?? 'a mechanism'}: ${stop.reason}`;
        break;
      }
      await session.outer?.runDueCycle(session, index);
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
    const end = classifyStop(error);
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

function classifyStop(error: unknown): RunEnd {
  if (error instanceof RunInterrupted || (error instanceof Error && error.name === 'AbortError')) {
    return { state: 'interrupted', reason: 'interrupted by the user; `bilevel resume` continues it' };
  }
  if (isBilevelError(error) && error.code === 'LLM_BUDGET_EXHAUSTED') {
    return { state: 'interrupted', reason: `${error.message}; raise the cap and \`bilevel resume\`` };
  }
  if (isLlmCallError(error) && error.retryable) {
    return {
      state: 'interrupted',
      reason: `the LLM stayed unreachable through the run's patience (${error.message}); \`bilevel resume\` continues it`,
    };
  }
  const message = error instanceof BilevelError ? `[${error.code}] ${error.message}` : String(error);
  return { state: 'failed', reason: message };
}
