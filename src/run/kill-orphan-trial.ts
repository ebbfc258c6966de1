// After a hard kill of bilevel, its trial program may still run in its own process group: stop it before resuming.
import { readlinkSync } from 'node:fs';
import type { Database } from '../storage/database.js';
import { getTrialProcessGroup, setTrialProcessGroup } from '../storage/runs-table.js';

/**
 * Kills the recorded trial process group if it still exists and its leader works inside this run's working
 * copy (a recycled process id belonging to someone else is left alone). Returns true when something was killed.
 */
export function killOrphanTrial(database: Database, runId: string, workDir: string): boolean {
  const processGroupId = getTrialProcessGroup(database, runId);
  if (processGroupId === null) return false;
  setTrialProcessGroup(database, runId, null);
  let cwd: string;
  try {
    cwd = readlinkSync(`/proc/${processGroupId}/cwd`);
  } catch {
    return false;
  }
  if (!cwd.startsWith(workDir)) return false;
  try {
    process.kill(-processGroupId, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
