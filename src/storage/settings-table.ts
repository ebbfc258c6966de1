// Level 1.5's settings history: one immutable snapshot per outer cycle.
import type { Database } from './database.js';

export function insertSettingsSnapshot(
  database: Database,
  runId: string,
  cycle: number,
  afterTrial: number,
  snapshot: unknown,
): void {
  database
    .prepare('INSERT INTO settings_snapshots (run_id, cycle, after_trial, snapshot_json) VALUES (?, ?, ?, ?)')
    .run(runId, cycle, afterTrial, JSON.stringify(snapshot));
}

export function listSettingsSnapshots<T = unknown>(database: Database, runId: string): T[] {
  const rows = database
    .prepare('SELECT snapshot_json FROM settings_snapshots WHERE run_id = ? ORDER BY cycle')
    .all(runId) as { snapshot_json: string }[];
  return rows.map((row) => JSON.parse(row.snapshot_json) as T);
}

/** Removes snapshots taken after `afterTrial` (made by an interrupted trial's cycle, redone on resume). */
export function deleteSettingsSnapshotsAfter(database: Database, runId: string, afterTrial: number): void {
  database.prepare('DELETE FROM settings_snapshots WHERE run_id = ? AND after_trial > ?').run(runId, afterTrial);
}
