// The `trials` table: every finished trial of every run, with its proposal, diff, outcome and timings.
import type { TrialRecord, TrialStatus } from '../records/trial-record.js';
import type { Database } from './database.js';

interface TrialRow {
  run_id: string;
  idx: number;
  status: TrialStatus;
  metric: number | null;
  parent: number;
  commit_sha: string | null;
  values_json: string;
  changed_json: string;
  summary: string;
  reason: string;
  proposal_json: string | null;
  attempts_json: string;
  confirmations_json: string;
  diff: string;
  log_path: string | null;
  wall_seconds: number | null;
  peak_memory_mb: number | null;
  proposer: string | null;
  started_at: string;
  ended_at: string;
  worker: string | null;
  in_flight_json: string;
}

function fromRow(row: TrialRow): TrialRecord {
  return {
    runId: row.run_id,
    index: row.idx,
    status: row.status,
    metric: row.metric,
    parent: row.parent,
    commit: row.commit_sha,
    values: JSON.parse(row.values_json),
    changed: JSON.parse(row.changed_json),
    summary: row.summary,
    reason: row.reason,
    proposal: row.proposal_json === null ? null : JSON.parse(row.proposal_json),
    attempts: JSON.parse(row.attempts_json),
    confirmations: JSON.parse(row.confirmations_json),
    diff: row.diff,
    logPath: row.log_path,
    wallSeconds: row.wall_seconds,
    peakMemoryMb: row.peak_memory_mb,
    worker: row.worker,
    inFlight: JSON.parse(row.in_flight_json),
    proposer: row.proposer ?? null,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

/**
 * Inserts a finished trial; the primary key (run, index) makes a duplicate impossible. `seq` numbers the run's
 * trials in the order they were recorded (with several workers, not the index order): observers saw them so.
 */
export function insertTrial(database: Database, trial: TrialRecord): void {
  database
    .prepare(
      `INSERT INTO trials (run_id, idx, status, metric, parent, commit_sha, values_json, changed_json, summary, reason,
         proposal_json, attempts_json, confirmations_json, diff, log_path, wall_seconds, peak_memory_mb, started_at, ended_at,
         worker, in_flight_json, proposer, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         (SELECT COALESCE(MAX(seq), -1) + 1 FROM trials WHERE run_id = ?))`,
    )
    .run(
      trial.runId,
      trial.index,
      trial.status,
      trial.metric,
      trial.parent,
      trial.commit,
      JSON.stringify(trial.values),
      JSON.stringify(trial.changed),
      trial.summary,
      trial.reason,
      trial.proposal === null ? null : JSON.stringify(trial.proposal),
      JSON.stringify(trial.attempts),
      JSON.stringify(trial.confirmations),
      trial.diff,
      trial.logPath,
      trial.wallSeconds,
      trial.peakMemoryMb,
      trial.startedAt,
      trial.endedAt,
      trial.worker,
      JSON.stringify(trial.inFlight),
      trial.proposer,
      trial.runId,
    );
}

export function listTrials(database: Database, runId: string): TrialRecord[] {
  const rows = database.prepare('SELECT * FROM trials WHERE run_id = ? ORDER BY idx').all(runId) as TrialRow[];
  return rows.map(fromRow);
}

/** Every trial of the run in the order it was recorded (the order observers saw them in). */
export function listTrialsInRecordOrder(database: Database, runId: string): TrialRecord[] {
  const rows = database.prepare('SELECT * FROM trials WHERE run_id = ? ORDER BY seq, idx').all(runId) as TrialRow[];
  return rows.map(fromRow);
}

/** The last `limit` trials recorded, in record order. */
export function recentTrials(database: Database, runId: string, limit: number): TrialRecord[] {
  const rows = database
    .prepare('SELECT * FROM (SELECT * FROM trials WHERE run_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq')
    .all(runId, limit) as TrialRow[];
  return rows.map(fromRow);
}

/** The last `limit` kept trials recorded, in record order. */
export function recentKeptTrials(database: Database, runId: string, limit: number): TrialRecord[] {
  const rows = database
    .prepare(
      `SELECT * FROM (SELECT * FROM trials WHERE run_id = ? AND status = 'keep' ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
    )
    .all(runId, limit) as TrialRow[];
  return rows.map(fromRow);
}

export function getTrial(database: Database, runId: string, index: number): TrialRecord | undefined {
  const row = database.prepare('SELECT * FROM trials WHERE run_id = ? AND idx = ?').get(runId, index) as
    | TrialRow
    | undefined;
  return row ? fromRow(row) : undefined;
}

/** The highest recorded index, or -1 when nothing is recorded. */
export function maxTrialIndex(database: Database, runId: string): number {
  const row = database.prepare('SELECT MAX(idx) AS idx FROM trials WHERE run_id = ?').get(runId) as {
    idx: number | null;
  };
  return row.idx ?? -1;
}

export function countTrials(database: Database, runId: string): number {
  return (database.prepare('SELECT COUNT(*) AS n FROM trials WHERE run_id = ?').get(runId) as { n: number }).n;
}

/** The trials after `index`, oldest first: what a proposer that keeps its own model of the run has not been told yet. */
export function trialsAfter(database: Database, runId: string, index: number): TrialRecord[] {
  const rows = database
    .prepare('SELECT * FROM trials WHERE run_id = ? AND idx > ? ORDER BY idx')
    .all(runId, index) as TrialRow[];
  return rows.map(fromRow);
}
