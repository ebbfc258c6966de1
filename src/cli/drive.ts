// Shared by `run` and `resume`: Ctrl-C handling, the progress printer, and the closing summary and exit code.

import { displayJson, displayLine } from '../core/display-text.js';
import { directionWords } from '../core/metric-direction.js';
import type { RunEnd } from '../inner/stop-rule.js';
import { describeProposerSpec } from '../records/proposer-spec.js';
import type { RunConfig } from '../records/run-config.js';
import { buildRunStatus, type RunStatus } from '../report/run-status.js';
import { formatStatusCounts, trialsCounted } from '../report/status-counts.js';
import type { Database } from '../storage/database.js';
import { exitCodes } from './exit-codes.js';
import { createProgressPrinter } from './progress.js';

type Printer = ReturnType<typeof createProgressPrinter>;

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (or SIGTERM) fires: the current trial's process group is
 * killed and the run is marked interrupted. A second Ctrl-C exits at once.
 */
export async function withInterruptSignal(
  work: (signal: AbortSignal, progress: Printer) => Promise<void>,
  json: boolean,
): Promise<void> {
  const controller = new AbortController();
  const progress = createProgressPrinter(json ? process.stderr : process.stdout);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(exitCodes.interrupted);
    progress.onProgress({
      type: 'note',
      message: 'stopping: the current trial is killed and the run marked interrupted…',
    });
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await work(controller.signal, progress);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.done();
  }
}

/** Prints the outcome (a summary, or the status JSON) and sets the exit code from how the run ended. */
export function finishRunCommand(
  database: Database,
  runId: string,
  end: RunEnd,
  json: boolean,
  progress: Printer,
): void {
  progress.done();
  const status = buildRunStatus(database, runId);
  if (json) {
    process.stdout.write(`${displayJson(status, 2)}\n`);
  } else {
    const counts = formatStatusCounts(status.trials.map((trial) => trial.status));
    const lines = [
      `run ${runId} ${end.state}${end.reason ? `: ${end.reason}` : ''}`,
      resultLine(status),
      `trials: ${trialsCounted(status.trials.length, status.plannedTrials)}${counts ? ` — ${counts}` : ''}`,
      `details: bilevel status ${runId}   working copy: ${status.paths.work}`,
      ...(end.state === 'interrupted' ? [`continue: bilevel resume ${runId}`] : []),
    ];
    process.stdout.write(`${lines.map((line) => displayLine(line)).join('\n')}\n`);
  }
  if (end.state === 'interrupted') {
    process.exitCode = end.reason.startsWith('interrupted by the user') ? exitCodes.interrupted : exitCodes.stopped;
  }
}

/** The run's header line, at the start of `run` and `resume`: what runs, how many trials, which mechanisms. */
export function runHeader(config: RunConfig, mechanisms: readonly string[]): string {
  return (
    `levels ${config.levels.join(',')}, proposer ${describeProposerSpec(config.proposer)}, baseline + ${config.trials} trials, ` +
    (config.workers > 1 ? `${config.workers} at a time, ` : '') +
    `budget ${config.budgetSeconds} s, seed ${config.seed}, mechanisms: ${mechanisms.length ? mechanisms.join(', ') : 'none'}`
  );
}

/** The metric line of the closing summary: baseline and best, or what was (not yet) measured. */
function resultLine(status: RunStatus): string {
  const name = status.metric.name;
  const direction = directionWords(status.metric.direction);
  const baseline = status.trials[0];
  if (!baseline) return `${name}: nothing measured yet (the run stopped before the baseline, trial 0, finished)`;
  const best = status.best;
  if (status.baseline === null) {
    const failed = `the baseline produced no metric (${baseline.status}${baseline.reason ? `: ${baseline.reason}` : ''})`;
    return best
      ? `${name}: ${failed}; best ${best.metric.toFixed(6)} at trial ${best.trial} (${direction})`
      : `${name}: ${failed}; no trial has measured yet`;
  }
  const bestText =
    !best || best.trial === 0 ? 'no trial beat it yet' : `best ${best.metric.toFixed(6)} at trial ${best.trial}`;
  return `${name}: baseline ${status.baseline.toFixed(6)}, ${bestText} (${direction})`;
}
