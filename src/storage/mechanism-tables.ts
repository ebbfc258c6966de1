// Mechanism records: each changed decision, strike and retirement as an event, and each mechanism's counters.
import type { Database } from './database.js';

export interface MechanismEventRow {
  runId: string;
  trialIndex: number;
  mechanism: string;
  kind: string;
  hook?: string | undefined;
  before?: unknown;
  after?: unknown;
  detail?: string | undefined;
}

export function insertMechanismEvent(database: Database, event: MechanismEventRow): void {
  database
    .prepare(
      `INSERT INTO mechanism_events (run_id, trial_idx, mechanism, kind, hook, before_json, after_json, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      event.runId,
      event.trialIndex,
      event.mechanism,
      event.kind,
      event.hook ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
      event.detail ?? null,
    );
}

export function listMechanismEvents(database: Database, runId: string): MechanismEventRow[] {
  const rows = database.prepare('SELECT * FROM mechanism_events WHERE run_id = ? ORDER BY id').all(runId) as Record<
    string,
    unknown
  >[];
  return rows.map((row) => ({
    runId: row.run_id as string,
    trialIndex: row.trial_idx as number,
    mechanism: row.mechanism as string,
    kind: row.kind as string,
    hook: (row.hook as string | null) ?? undefined,
    before: row.before_json === null ? undefined : JSON.parse(row.before_json as string),
    after: row.after_json === null ? undefined : JSON.parse(row.after_json as string),
    detail: (row.detail as string | null) ?? undefined,
  }));
}

/** Deletes events recorded for trials at or after `fromTrial` (an interrupted trial's partial record). */
export function deleteMechanismEventsFrom(database: Database, runId: string, fromTrial: number): void {
  database.prepare('DELETE FROM mechanism_events WHERE run_id = ? AND trial_idx >= ?').run(runId, fromTrial);
}

/** Saves a mechanism's counters (hook calls, decisions changed, strikes, status) as JSON. */
export function saveMechanismActivity(database: Database, runId: string, name: string, activity: unknown): void {
  database
    .prepare(
      `INSERT INTO mechanism_activity (run_id, name, activity_json) VALUES (?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET activity_json = excluded.activity_json`,
    )
    .run(runId, name, JSON.stringify(activity));
}

export function listMechanismActivity(database: Database, runId: string): { name: string; activity: unknown }[] {
  const rows = database
    .prepare('SELECT name, activity_json FROM mechanism_activity WHERE run_id = ? ORDER BY rowid')
    .all(runId) as { name: string; activity_json: string }[];
  return rows.map((row) => ({ name: row.name, activity: JSON.parse(row.activity_json) }));
}
