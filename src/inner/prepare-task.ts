// The task's one-time preparation (e.g. its validation split into {data}), run with evaluator privileges before any
// trial of a session; then the task's external hidden files are hashed, to be checked after every step.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { hashExternalFiles } from '../task/protected-files.js';
import { isExternalPath, resolveExternalPath } from '../task/task-paths.js';
import { lastLine } from './measure-outcome.js';
import type { RunSession } from './run-session.js';
import { stepRequest, taskRoots } from './step-request.js';
import { RunInterrupted } from './stop-rule.js';

/** Runs `prepare` when the task has one (a failure is TASK_BROKEN, with its log), then pins the external hidden files. */
export async function prepareTask(
  session: Pick<RunSession, 'config' | 'task' | 'paths' | 'isolation' | 'executor' | 'signal' | 'externalHashes'>,
): Promise<void> {
  const { definition } = session.task;
  await mkdir(session.paths.data, { recursive: true });
  await mkdir(session.paths.cache, { recursive: true });
  if (definition.prepare) {
    const tmp = join(session.paths.root, 'prepare-tmp');
    await mkdir(tmp, { recursive: true });
    const logPath = join(session.paths.root, 'prepare.log');
    try {
      const request = stepRequest(session, 'prepare', {
        trialIndex: null,
        execution: 0,
        work: session.paths.work,
        slotEnv: {},
        output: null,
        tmp,
      });
      const result = await session.executor.execute({ ...request, logPath, signal: session.signal });
      if (result.kind === 'aborted') throw new RunInterrupted('stopped by the user while the task was prepared');
      if (result.kind !== 'exited' || result.exitCode !== 0) {
        const how = result.kind === 'exited' ? `exit code ${result.exitCode}` : (result.error ?? result.kind);
        throw new BilevelError('TASK_BROKEN', `the task's prepare step failed (${how}): ${lastLine(result.logTail)}`, {
          hint: `read ${logPath}, fix the task's "prepare" command, then \`bilevel resume\` the run`,
        });
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const roots = taskRoots(session);
  const external = definition.hidden.filter(isExternalPath).map((path) => resolveExternalPath(path, roots));
  session.externalHashes = await hashExternalFiles(external);
}
