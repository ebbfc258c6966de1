// After a hard kill of bilevel, its trials' programs may still run in their own process groups: stop them before
// resuming.
import { readlinkSync } from 'node:fs';
import type { Database } from '../storage/database.js';
import { clearSlotProcessGroups, listSlotProcessGroups } from '../storage/pending-trials-table.js';

/**
 * Kills each recorded slot's process group that still exists and whose leader works inside this run's folder (a
 * recycled process id belonging to someone else is left alone). Returns how many were killed.
 */
export function killOrphanTrials(database: Database, runId: string, runDir: string): number {
  let killed = 0;
  for (const { processGroup } of listSlotProcessGroups(database, runId)) {
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${processGroup}/cwd`);
    } catch {
      continue;
    }
    if (!cwd.startsWith(runDir)) continue;
    try {
      process.kill(-processGroup, 'SIGKILL');
      killed += 1;
    } catch {
      // Gone meanwhile.
    }
  }
  clearSlotProcessGroups(database, runId);
  return killed;
}
