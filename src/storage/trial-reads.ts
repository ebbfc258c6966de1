// Reads of the trials table for viewers (the dashboard): per-run digests, chart points, one page of rows, one whole
// trial — without loading every trial's diff, and reading the columns newer versions add only where they exist.
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { TrialStatus } from '../records/trial-record.js';
import type { Database } from './database.js';
import { tableColumns } from './read-only-database.js';

/**
 * Per-trial fields other parts of bilevel record in columns of their own (which proposer made it, who ran it, CPU
 * time and machine load): view field → column. Each is read only where the database has the column.
 */
export const optionalTrialColumns = {
  proposer: 'proposer',
  worker: 'worker',
  cpuSeconds: 'cpu_seconds',
  loadAverage: 'load_average',
  underLoad: 'under_load',
} as const;

export type OptionalTrialField = keyof typeof optionalTrialColumns;

/** The optional fields of one trial: absent when the database has no such column, null when nothing was recorded. */
export type OptionalTrialFields = { [Field in OptionalTrialField]?: string | number | boolean | null };

/** Columns every supported schema has; anything else in a row is shown as an extra recorded field. */
const baseColumns = new Set([
  'run_id',
  'idx',
  'status',
  'metric',
  'parent',
  'commit_sha',
  'values_json',
  'changed_json',
  'summary',
  'reason',
  'proposal_json',
  'attempts_json',
  'confirmations_json',
  'diff',
  'log_path',
  'wall_seconds',
  'peak_memory_mb',
  'started_at',
  'ended_at',
]);

/** Columns newer schemas keep for the loop's own use (record order, what was in flight at proposal): not shown. */
const bookkeepingColumns = ['seq', 'in_flight_json'];

/** One trial as a table row: everything but the diff, the proposal and the attempts' texts. */
export interface TrialListRow extends OptionalTrialFields {
  index: number;
  status: TrialStatus;
  metric: number | null;
  parent: number;
  commit: string | null;
  summary: string;
  reason: string;
  /** Params changed from the parent: name → [before, after]. */
  changed: Record<string, [unknown, unknown]>;
  /** Metrics of confirmation re-runs, oldest first. */
  confirmations: number[];
  wallSeconds: number | null;
  peakMemoryMb: number | null;
  startedAt: string;
  endedAt: string;
}

/** A whole trial: the row, its values, proposal, attempts and diff, and any columns this build does not know. */
export interface TrialWhole extends TrialListRow {
  values: Record<string, unknown>;
  proposal: unknown;
  attempts: unknown[];
  diff: string;
  logPath: string | null;
  /** Columns of the row outside the known set (added by a newer bilevel): column → value. */
  extra: Record<string, string | number | null>;
}

/** What a viewer needs of one run's trials at a glance. */
export interface TrialDigest {
  runId: string;
  /** Trials recorded, the baseline included. */
  trials: number;
  /** Trial 0's metric (null when it measured nothing or is not recorded yet). */
  baseline: number | null;
  /** The highest rowid of the run's trials: it grows with every trial recorded. */
  lastRowid: number;
  lastEndedAt: string | null;
}

/** The trial counts, baselines and last record times of every run, in one query. */
export function trialDigests(database: Database): TrialDigest[] {
  const rows = database
    .prepare(
      `SELECT run_id AS runId, COUNT(*) AS trials, MAX(rowid) AS lastRowid, MAX(ended_at) AS lastEndedAt,
         MAX(CASE WHEN idx = 0 THEN metric END) AS baseline
       FROM trials GROUP BY run_id`,
    )
    .all() as TrialDigest[];
  return rows;
}

/** Every trial of a run as a chart needs it: index, status, metric (and the load flag where recorded), by index. */
export function trialPoints(
  database: Database,
  runId: string,
): { index: number; status: TrialStatus; metric: number | null; underLoad?: boolean | null }[] {
  const flag = optionalColumns(database).has('underLoad') ? `, ${optionalTrialColumns.underLoad} AS underLoad` : '';
  const rows = database
    .prepare(`SELECT idx AS "index", status, metric${flag} FROM trials WHERE run_id = ? ORDER BY idx`)
    .all(runId) as { index: number; status: TrialStatus; metric: number | null; underLoad?: number | null }[];
  if (flag === '') return rows as { index: number; status: TrialStatus; metric: number | null }[];
  return rows.map((row) => ({ ...row, underLoad: row.underLoad === null ? null : Boolean(row.underLoad) }));
}

export interface TrialPageQuery {
  /** Rows to skip, in the chosen order. */
  offset: number;
  limit: number;
  /** `desc`: newest (highest index) first. */
  order: 'asc' | 'desc';
  /** Only these statuses; all when empty. */
  statuses: readonly TrialStatus[];
}

/** One page of a run's trials and how many match the query in all. */
export function trialPage(
  database: Database,
  runId: string,
  query: TrialPageQuery,
): { total: number; rows: TrialListRow[] } {
  const filter = query.statuses.length === 0 ? '' : ` AND status IN (${query.statuses.map(() => '?').join(', ')})`;
  const parameters = [runId, ...query.statuses];
  const total = (
    database.prepare(`SELECT COUNT(*) AS n FROM trials WHERE run_id = ?${filter}`).get(...parameters) as { n: number }
  ).n;
  const optional = optionalColumns(database);
  const rows = database
    .prepare(
      `SELECT idx, status, metric, parent, commit_sha, summary, reason, changed_json, confirmations_json, wall_seconds,
         peak_memory_mb, started_at, ended_at${[...optional.values()].map((column) => `, ${column}`).join('')}
       FROM trials WHERE run_id = ?${filter} ORDER BY idx ${query.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
    )
    .all(...parameters, query.limit, query.offset) as Record<string, unknown>[];
  return { total, rows: rows.map((row) => listRow(row, optional)) };
}

/** One whole trial, or undefined when the run has no trial with that index. */
export function trialWhole(database: Database, runId: string, index: number): TrialWhole | undefined {
  const row = database.prepare('SELECT * FROM trials WHERE run_id = ? AND idx = ?').get(runId, index) as
    | Record<string, unknown>
    | undefined;
  if (!row) return undefined;
  const optional = optionalColumns(database);
  const known = new Set([...baseColumns, ...bookkeepingColumns, ...optional.values()]);
  const extra: Record<string, string | number | null> = {};
  for (const [column, value] of Object.entries(row)) {
    if (known.has(column)) continue;
    if (value === null || typeof value === 'string' || typeof value === 'number') extra[column] = value;
  }
  return {
    ...listRow(row, optional),
    values: JSON.parse(row.values_json as string),
    proposal: row.proposal_json === null ? null : JSON.parse(row.proposal_json as string),
    attempts: JSON.parse(row.attempts_json as string),
    diff: row.diff as string,
    logPath: (row.log_path as string | null) ?? null,
    extra,
  };
}

/** The last `limit` trials' start and end times, newest first (for the time left). */
export function recentTrialTimes(
  database: Database,
  runId: string,
  limit: number,
): { startedAt: string; endedAt: string }[] {
  return database
    .prepare(
      'SELECT started_at AS startedAt, ended_at AS endedAt FROM trials WHERE run_id = ? ORDER BY idx DESC LIMIT ?',
    )
    .all(runId, limit) as { startedAt: string; endedAt: string }[];
}

/** The run's kept trials with a metric, by index: where its best comes from. */
export function keptTrialMetrics(database: Database, runId: string): { index: number; metric: number }[] {
  return database
    .prepare(
      `SELECT idx AS "index", metric FROM trials WHERE run_id = ? AND status = 'keep' AND metric IS NOT NULL ORDER BY idx`,
    )
    .all(runId) as { index: number; metric: number }[];
}

/** The optional fields this database has a column for: field → column. */
function optionalColumns(database: Database): Map<OptionalTrialField, string> {
  const columns = tableColumns(database, 'trials');
  const present = new Map<OptionalTrialField, string>();
  for (const [field, column] of Object.entries(optionalTrialColumns) as [OptionalTrialField, string][]) {
    if (columns.has(column)) present.set(field, column);
  }
  return present;
}

function listRow(row: Record<string, unknown>, optional: ReadonlyMap<OptionalTrialField, string>): TrialListRow {
  const view: TrialListRow = {
    index: row.idx as number,
    status: row.status as TrialStatus,
    metric: (row.metric as number | null) ?? null,
    parent: row.parent as number,
    commit: (row.commit_sha as string | null) ?? null,
    summary: row.summary as string,
    reason: row.reason as string,
    changed: JSON.parse(row.changed_json as string),
    confirmations: JSON.parse(row.confirmations_json as string),
    wallSeconds: (row.wall_seconds as number | null) ?? null,
    peakMemoryMb: (row.peak_memory_mb as number | null) ?? null,
    startedAt: row.started_at as string,
    endedAt: row.ended_at as string,
  };
  for (const [field, column] of optional) {
    const value = row[column];
    view[field] =
      field === 'underLoad' && value !== null && value !== undefined
        ? Boolean(value)
        : ((value as string | number | null | undefined) ?? null);
  }
  return view;
}

/** A trial a worker holds now (proposed, not yet recorded), where the database records trials in flight. */
export interface TrialInFlight {
  index: number;
  /** Who runs it (`local slot 2`). */
  worker: string;
  startedAt: string;
}

/** The run's trials in flight, by index; none where this database does not record them (one trial at a time). */
export function trialsInFlight(database: Database, runId: string): TrialInFlight[] {
  // A state dir older than parallel trials has no such table (a read-only reader never migrates).
  if (!tableColumns(database, 'pending_trials').has('idx')) return [];
  return database
    .prepare('SELECT idx AS "index", worker, started_at AS startedAt FROM pending_trials WHERE run_id = ? ORDER BY idx')
    .all(runId) as TrialInFlight[];
}

/** How many of the run's trials ended in each status. */
export function trialStatusCounts(database: Database, runId: string): Record<TrialStatus, number> {
  const counts: Record<TrialStatus, number> = { keep: 0, discard: 0, crash: 0, timeout: 0, rejected: 0 };
  const rows = database
    .prepare('SELECT status, COUNT(*) AS n FROM trials WHERE run_id = ? GROUP BY status')
    .all(runId) as { status: TrialStatus; n: number }[];
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Every trial of a run as the levels see it (values, changes, outcome; no diff), by index: for per-param views. */
export function trialRecordViews(database: Database, runId: string): TrialRecordView[] {
  const rows = database
    .prepare(
      `SELECT idx, status, metric, parent, values_json, changed_json, summary, reason FROM trials WHERE run_id = ?
       ORDER BY idx`,
    )
    .all(runId) as Record<string, unknown>[];
  return rows.map((row) => ({
    index: row.idx as number,
    status: row.status as TrialStatus,
    metric: (row.metric as number | null) ?? null,
    parent: row.parent as number,
    values: JSON.parse(row.values_json as string),
    changed: JSON.parse(row.changed_json as string),
    summary: row.summary as string,
    reason: row.reason as string,
  }));
}
