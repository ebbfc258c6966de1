// Opens the state database read-only for watchers (`bilevel serve`): never writes, never migrates, safe beside runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BilevelError } from '../core/errors.js';
import { type Database, databaseFileName } from './database.js';
import { migrations } from './migrations.js';

/** Where the state dir's database lives. */
export function databasePath(stateDir: string): string {
  return join(stateDir, databaseFileName);
}

/**
 * Opens `<stateDir>/bilevel.sqlite` read-only. The database is in WAL mode (every writer sets it), so this reader
 * sees each committed transaction and never blocks a run's writes. A schema older than this build's is refused:
 * this connection cannot migrate it, and the tables it lacks would read as errors.
 */
export function openDatabaseReadOnly(stateDir: string): Database {
  const path = databasePath(stateDir);
  if (!existsSync(path)) {
    throw new BilevelError('RUN_NOT_FOUND', `no state database at ${path}`, {
      hint: 'pass the --state-dir your runs use, or start a run first',
    });
  }
  let database: Database;
  try {
    database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new BilevelError('STATE_CORRUPT', `cannot open the state database ${path} read-only`, {
      hint: 'check the --state-dir path and its permissions (the folder must be readable)',
      cause: error,
    });
  }
  const version = database.pragma('user_version', { simple: true }) as number;
  if (version < migrations.length) {
    database.close();
    throw new BilevelError(
      'CONFIG',
      `the state database ${path} has an older schema (${version} of ${migrations.length})`,
      {
        hint: 'run `bilevel status` once with this bilevel to bring it up to date (a read-only viewer cannot), then try again',
      },
    );
  }
  return database;
}

/** The columns a table has in this database (a newer bilevel may have added some), or none when it is absent. */
export function tableColumns(database: Database, table: string): Set<string> {
  const rows = database.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

/** A counter SQLite bumps whenever another connection commits: cheap to poll, so watchers know when to look again. */
export function dataVersion(database: Database): number {
  return database.pragma('data_version', { simple: true }) as number;
}
