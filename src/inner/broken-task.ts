// Stops a run whose task cannot run at all: the unchanged baseline and every trial after it failed.
import { join } from 'node:path';
import { BilevelError } from '../core/errors.js';
import type { RunHistory } from './run-history.js';
import type { RunPaths } from './run-paths.js';

/** Failed trials after a failed baseline before the run gives up on the task. */
export const brokenTaskTrials = 5;

/**
 * TASK_BROKEN once the baseline and the `brokenTaskTrials` trials after it all failed to produce a metric, else
 * null. A failed baseline alone does not stop the run (the task's defaults may be what crashes, e.g. out of memory
 * on a smaller GPU, and the first trial that measures becomes the incumbent). Decided from the record only, so an
 * uninterrupted run and a resumed one stop at the same trial.
 */
export function brokenTaskError(history: RunHistory, paths: RunPaths): BilevelError | null {
  if (history.count < 1 + brokenTaskTrials || history.incumbent !== null) return null;
  const recent = history.recent();
  if (recent.some((trial) => trial.metric !== null)) return null;
  const last = recent.at(-1);
  return new BilevelError(
    'TASK_BROKEN',
    `no trial has produced a metric: the unchanged task (trial 0) and the ${history.count - 1} trials after it all failed` +
      (last ? ` (last: ${last.status}, ${last.reason})` : ''),
    {
      hint:
        `the task itself looks broken: read ${join(paths.trial(0), 'run.log')}, run the task's command by hand in ` +
        `${paths.work}, fix the task or its environment, then start a new run`,
    },
  );
}

/** The note shown when the baseline fails: the run goes on, and says when it will give up. */
export function failedBaselineNote(reason: string): string {
  return `the unchanged task failed (${reason}); trials go on, and the first that measures becomes the incumbent — the run stops if the next ${brokenTaskTrials} fail too`;
}
