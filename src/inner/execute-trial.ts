// Runs the task's command once in the working copy and measures it (metric, protected files, failure reason).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionResult } from '../executor/executor.js';
import { readSummaryLines } from '../executor/summary-lines.js';
import { setTrialProcessGroup } from '../storage/runs-table.js';
import { packageRoot } from '../task/package-root.js';
import { verifyProtectedFiles } from '../task/protected-files.js';
import { readMetric } from '../task/read-metric.js';
import { expandCommand } from './expand-command.js';
import { executionSeed } from './live-context.js';
import { type Measurement, measureOutcome } from './measure-outcome.js';
import type { RunSession } from './run-session.js';
import { RunInterrupted } from './stop-rule.js';

export interface Execution {
  measurement: Measurement;
  result: ExecutionResult;
  logPath: string;
}

/** Executes trial `trialIndex` for the `execution`-th time (0 first, 1+ confirmation re-runs). */
export async function executeTrial(
  session: Pick<RunSession, 'config' | 'task' | 'paths' | 'executor' | 'signal' | 'database' | 'run'>,
  trialIndex: number,
  execution: number,
): Promise<Execution> {
  const { config, task, paths } = session;
  const logPath = join(paths.trial(trialIndex), execution === 0 ? 'run.log' : `run-confirm-${execution}.log`);
  const result = await session.executor.execute({
    command: expandCommand(task.definition.command),
    cwd: paths.work,
    env: {
      ...(process.env as Record<string, string>),
      BILEVEL_BUDGET_SECONDS: String(config.budgetSeconds),
      BILEVEL_SEED: String(executionSeed(config.seed, trialIndex, execution)),
      BILEVEL_TRIAL: String(trialIndex),
      BILEVEL_CACHE_DIR: paths.cache,
      BILEVEL_PACKAGE_ROOT: packageRoot(),
    },
    timeoutSeconds: config.timeoutSeconds,
    logPath,
    signal: session.signal,
    onSpawn: (processGroupId) => setTrialProcessGroup(session.database, session.run.id, processGroupId),
  });
  setTrialProcessGroup(session.database, session.run.id, null);
  if (result.kind === 'aborted') throw new RunInterrupted('stopped by the user during a trial');

  const modified = await verifyProtectedFiles(paths.work, task.definition, session.run.protectedHashes);
  const source = task.definition.metric.source;
  const summary =
    source === 'stdout'
      ? result.summary
      : readSummaryLines(await readFile(join(paths.work, source.file), 'utf8').catch(() => ''));
  const metric = readMetric(summary, task.definition.metric.name);
  const measurement = measureOutcome(result, task.definition.metric.name, metric, modified, config.timeoutSeconds);
  return { measurement, result, logPath };
}
