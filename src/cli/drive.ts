// Shared by `run` and `resume`: Ctrl-C handling, the progress printer, and the closing summary and exit code.

import { displayJson, displayLine } from '../core/display-text.js';
import { directionWords } from '../core/metric-direction.js';
import type { RunEnd } from '../inner/stop-rule.js';
import { buildRunStatus } from '../report/run-status.js';
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
    const best = status.best ? `${status.best.metric.toFixed(6)} at trial ${status.best.trial}` : 'none';
    const baseline = status.baseline === null ? '—' : status.baseline.toFixed(6);
    const lines = [
      `run ${runId} ${end.state}${end.reason ? `: ${end.reason}` : ''}`,
      `${status.metric.name}: baseline ${baseline}, best ${best} (${directionWords(status.metric.direction)})`,
      `trials: ${status.trials.length} recorded — ${countBy(status.trials.map((trial) => trial.status))}`,
      `details: bilevel status ${runId}   working copy: ${status.paths.work}`,
    ];
    process.stdout.write(`${lines.map((line) => displayLine(line)).join('\n')}\n`);
  }
  if (end.state === 'interrupted') {
    process.exitCode = end.reason.startsWith('interrupted by the user') ? exitCodes.interrupted : exitCodes.stopped;
  }
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${count} ${value}`).join(', ');
}
