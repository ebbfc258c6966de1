// Turns a finished execution into a measurement: ok with a metric, or crash/timeout with a one-line reason.
import type { ExecutionResult } from '../executor/executor.js';

export interface Measurement {
  status: 'ok' | 'crash' | 'timeout';
  /** Finite metric when ok; null otherwise. */
  metric: number | null;
  /** Why it is not ok, in one line; empty when ok. */
  reason: string;
}

/**
 * `metricValue` is what the metric reader found: a number, NaN (printed nan/inf), or null (no line). `step` names
 * which program of a task with an evaluator this was (`training`, `evaluator`); the reasons then say so.
 */
export function measureOutcome(
  result: ExecutionResult,
  metricName: string,
  metricValue: number | null,
  modifiedProtected: readonly string[],
  timeoutSeconds: number,
  step?: 'training' | 'evaluator',
): Measurement {
  const crash = (reason: string): Measurement => ({
    status: 'crash',
    metric: null,
    reason: step ? `${step}: ${reason}` : reason,
  });
  if (modifiedProtected.length > 0) {
    return crash(`the program modified protected or hidden file(s): ${modifiedProtected.join(', ')}`);
  }
  switch (result.kind) {
    case 'timeout':
      return {
        status: 'timeout',
        metric: null,
        reason: `${step ? `${step}: ` : ''}killed after the ${timeoutSeconds} s timeout`,
      };
    case 'spawn-failed':
      return crash(`the command could not start: ${result.error ?? 'unknown error'}`);
    case 'aborted':
      return crash('stopped by the user');
    case 'exited':
      break;
  }
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `killed by ${result.exitSignal}` : `exit code ${result.exitCode}`;
    return crash(`${how}: ${lastLine(result.logTail)}`);
  }
  // Training that exited 0 is measured by the evaluator next; this is not its outcome.
  if (step === 'training') return { status: 'ok', metric: null, reason: '' };
  if (metricValue === null) return crash(`no "${metricName}: <number>" line in the output`);
  if (!Number.isFinite(metricValue)) return crash(`${metricName} is ${metricValue} (diverged)`);
  return { status: 'ok', metric: metricValue, reason: '' };
}

/**
 * The line of a log that best says why it failed, shortened: the last line that names an error, else the last
 * line. Stack frames and Node's version footer are skipped.
 */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^at\s/.test(line) && !/^Node\.js v\d/.test(line) && !/^\^+$/.test(line));
  const errorLine = lines.findLast((line) => /error|exception|out of memory|diverged|killed|abort/i.test(line));
  const chosen = errorLine ?? lines.at(-1) ?? '(no output)';
  return chosen.length > 200 ? `${chosen.slice(0, 197)}...` : chosen;
}
