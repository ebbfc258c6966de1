// The dashboard's one read-only connection to the state database, and the watcher that tells pages what changed:
// it polls SQLite's data_version (bumped by every commit of a run) and compares a small fingerprint per run.
import { existsSync } from 'node:fs';
import type { Database } from '../storage/database.js';
import { databasePath, dataVersion, openDatabaseReadOnly, tableColumns } from '../storage/read-only-database.js';

/** What changed since the last look: the runs whose record moved, and whether the list of studies did. */
export interface StateChange {
  runs: string[];
  studies: boolean;
  /** ISO 8601, when the watcher saw it. */
  at: string;
}

export type StateListener = (change: StateChange) => void;

/** How often the watcher looks, in milliseconds: well inside the 2 s a page may lag a trial's record. */
export const defaultPollMs = 250;

export class StateWatch {
  private connection: Database | null = null;
  private version = -1;
  private fingerprints = new Map<string, string>();
  private studies = '';
  private readonly listeners = new Set<StateListener>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly stateDir: string,
    private readonly pollMs = defaultPollMs,
  ) {}

  /** The read-only connection, opened once the database exists; null before the first run creates it. */
  database(): Database | null {
    if (this.connection === null && existsSync(databasePath(this.stateDir))) {
      this.connection = openDatabaseReadOnly(this.stateDir);
      this.version = dataVersion(this.connection);
      this.remember();
    }
    return this.connection;
  }

  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** Looks once: opens the database if it appeared, and tells the listeners what changed since the last look. */
  poll(): void {
    const hadDatabase = this.connection !== null;
    const database = this.database();
    if (database === null) return;
    const version = dataVersion(database);
    if (hadDatabase && version === this.version) return;
    this.version = version;
    const before = this.fingerprints;
    const studiesBefore = this.studies;
    this.remember();
    const runs = [...this.fingerprints].filter(([id, print]) => before.get(id) !== print).map(([id]) => id);
    const studies = this.studies !== studiesBefore;
    if (runs.length === 0 && !studies && hadDatabase) return;
    const change: StateChange = { runs, studies: studies || !hadDatabase, at: new Date().toISOString() };
    for (const listener of this.listeners) listener(change);
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.connection?.close();
    this.connection = null;
  }

  /** One string per run that changes whenever anything a page shows of it is recorded. */
  private remember(): void {
    const database = this.connection as Database;
    // Trials held by workers, where this database records them (a trial going in flight changes the page too).
    const inFlight = tableColumns(database, 'pending_trials').has('idx')
      ? ` || '|' || (SELECT COUNT(*) || ':' || COALESCE(MAX(rowid), 0) FROM pending_trials p WHERE p.run_id = r.id)`
      : '';
    const rows = database
      .prepare(
        `SELECT r.id AS id, r.state || '|' || r.updated_at || '|' ||
           (SELECT COUNT(*) || ':' || COALESCE(MAX(rowid), 0) FROM trials t WHERE t.run_id = r.id) || '|' ||
           (SELECT COUNT(*) FROM settings_snapshots s WHERE s.run_id = r.id) || '|' ||
           (SELECT COUNT(*) FROM meta_sessions m WHERE m.run_id = r.id) || '|' ||
           (SELECT COUNT(*) || ':' || COUNT(retired_at_trial) || ':' || COALESCE(SUM(LENGTH(probation_json)), 0)
              FROM mechanism_lifecycle l WHERE l.run_id = r.id)${inFlight} AS print
         FROM runs r`,
      )
      .all() as { id: string; print: string }[];
    this.fingerprints = new Map(rows.map((row) => [row.id, row.print]));
    const studies = database.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(rowid), 0) AS last FROM study_runs').get() as {
      n: number;
      last: number;
    };
    this.studies = `${studies.n}:${studies.last}`;
  }
}
