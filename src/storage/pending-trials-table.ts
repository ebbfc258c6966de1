// The `pending_trials` table: trials in flight (proposed, not yet recorded), so a resume runs them again as proposed.
import type { PendingTrial } from '../records/pending-trial.js';
import type { Database } from './database.js';

interface PendingRow {
  run_id: string;
  idx: number;
  slot: number;
  worker: string;
  parent: number;
  parent_commit: string;
  proposal_json: string;
  proposer: string | null;
  values_json: string;
  changed_json: string;
  attempts_json: string;
  in_flight_json: string;
  started_at: string;
}

function fromRow(row: PendingRow): PendingTrial {
  return {
    runId: row.run_id,
    index: row.idx,
    slot: row.slot,
    worker: row.worker,
    parent: row.parent,
    parentCommit: row.parent_commit,
    proposal: JSON.parse(row.proposal_json),
    proposer: row.proposer,
    values: JSON.parse(row.values_json),
    changed: JSON.parse(row.changed_json),
    attempts: JSON.parse(row.attempts_json),
    inFlight: JSON.parse(row.in_flight_json),
    startedAt: row.started_at,
  };
}

export function insertPendingTrial(database: Database, pending: PendingTrial): void {
  database
    .prepare(
      `INSERT INTO pending_trials (run_id, idx, slot, worker, parent, parent_commit, proposal_json, proposer,
         values_json, changed_json, attempts_json, in_flight_json, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      pending.runId,
      pending.index,
      pending.slot,
      pending.worker,
      pending.parent,
      pending.parentCommit,
      JSON.stringify(pending.proposal),
      pending.proposer,
      JSON.stringify(pending.values),
      JSON.stringify(pending.changed),
      JSON.stringify(pending.attempts),
      JSON.stringify(pending.inFlight),
      pending.startedAt,
    );
}

/** The run's trials in flight, oldest index first. */
export function listPendingTrials(database: Database, runId: string): PendingTrial[] {
  const rows = database
    .prepare('SELECT * FROM pending_trials WHERE run_id = ? ORDER BY idx')
    .all(runId) as PendingRow[];
  return rows.map(fromRow);
}

/** Who runs a pending trial now (a resume may move it to another slot, a queue to another worker). */
export function updatePendingPlacement(
  database: Database,
  runId: string,
  index: number,
  slot: number,
  worker: string,
): void {
  database
    .prepare('UPDATE pending_trials SET slot = ?, worker = ? WHERE run_id = ? AND idx = ?')
    .run(slot, worker, runId, index);
}

/** Removes a trial from the in-flight list (called in the transaction that records it). */
export function deletePendingTrial(database: Database, runId: string, index: number): void {
  database.prepare('DELETE FROM pending_trials WHERE run_id = ? AND idx = ?').run(runId, index);
}

/** The process group of each local slot's running program, for cleanup after a hard kill. */
export function setSlotProcessGroup(
  database: Database,
  runId: string,
  slot: number,
  processGroup: number | null,
): void {
  if (processGroup === null) {
    database.prepare('DELETE FROM slot_processes WHERE run_id = ? AND slot = ?').run(runId, slot);
  } else {
    database
      .prepare('INSERT OR REPLACE INTO slot_processes (run_id, slot, process_group) VALUES (?, ?, ?)')
      .run(runId, slot, processGroup);
  }
}

export function listSlotProcessGroups(database: Database, runId: string): { slot: number; processGroup: number }[] {
  return (
    database.prepare('SELECT slot, process_group FROM slot_processes WHERE run_id = ? ORDER BY slot').all(runId) as {
      slot: number;
      process_group: number;
    }[]
  ).map((row) => ({ slot: row.slot, processGroup: row.process_group }));
}

export function clearSlotProcessGroups(database: Database, runId: string): void {
  database.prepare('DELETE FROM slot_processes WHERE run_id = ?').run(runId);
}
