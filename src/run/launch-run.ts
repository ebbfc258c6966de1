// Drives a created or reopened run: builds its parts, opens its session, runs the loop. A run whose parts cannot be
// built (a bad mechanism param, a library mechanism that is gone) is marked failed, never left `running`.
import { driveRun } from '../inner/run-loop.js';
import type { RunEnd } from '../inner/stop-rule.js';
import type { RunRecord } from '../records/run-record.js';
import type { Database } from '../storage/database.js';
import { updateRunState } from '../storage/runs-table.js';
import type { Task } from '../task/load-task.js';
import { openSession } from './open-run.js';
import { isolationNotice } from './resolve-isolation.js';
import { buildSessionParts, type SessionPartOptions } from './session-parts.js';

export async function launchRun(
  database: Database,
  opened: { run: RunRecord; task: Task },
  options: SessionPartOptions,
): Promise<RunEnd> {
  const parts = await buildSessionParts(database, opened.run, opened.task, options).catch((error: unknown) => {
    updateRunState(database, opened.run.id, 'failed', `could not start: ${(error as Error).message}`, null);
    throw error;
  });
  const session = await openSession(database, options.stateDir, opened, parts).catch(async (error: unknown) => {
    await parts.dispose?.();
    updateRunState(database, opened.run.id, 'failed', `could not start: ${(error as Error).message}`, null);
    throw error;
  });
  const notice = isolationNotice(session.isolation);
  if (notice) options.onProgress?.({ type: 'note', message: notice });
  return driveRun(session);
}
