// Opens the state database (one SQLite file for all runs) and brings its schema up to date.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BilevelError } from '../core/errors.js';
import { migrations } from './migrations.js';

export type Database = BetterSqlite3.Database;

export const databaseFileName = 'bilevel.sqlite';

/** Opens (creating if needed) `<stateDir>/bilevel.sqlite` in WAL mode with migrations applied. */
export function openDatabase(stateDir: string): Database {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, databaseFileName);
  refuseLostDatabase(stateDir, path);
  let database: Database;
  try {
    database = new BetterSqlite3(path);
  } catch (error) {
    throw new BilevelError('STATE_CORRUPT', `cannot open the state database ${path}`, {
      hint: 'check the --state-dir path and its permissions',
      cause: error,
    });
  }
  try {
    database.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL survives a killed process; only a power loss can drop the last commits.
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    migrate(database);
    // Reading the schema touches the first pages: a file cut short or overwritten fails here, not mid-command.
    database.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    database.close();
    throw asStateError(error, path);
  }
  return database;
}

/** SQLite's result codes for a file that is not (or no longer) a whole database. */
const corruptCodes = /^SQLITE_(CORRUPT|NOTADB)/;

/** True when `error` is SQLite saying the database file is damaged. */
export function isCorruptDatabaseError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && corruptCodes.test(error.code);
}

/**
 * A damaged database file becomes STATE_CORRUPT with what to do (wherever SQLite notices: at open or in a later
 * query); any other error is returned as it is.
 */
export function asStateError(error: unknown, path?: string): unknown {
  if (!isCorruptDatabaseError(error)) return error;
  const file = path ?? `<state dir>/${databaseFileName}`;
  return new BilevelError('STATE_CORRUPT', `the state database ${file} is damaged (${(error as Error).message})`, {
    hint: `move it aside (mv ${file} ${file}.damaged) and restore it from a backup, or start over with a new --state-dir; each run's results.tsv, logs and working copy stay under runs/`,
    cause: error,
  });
}

/** How many run folders `<stateDir>/runs/` holds (0 when it does not exist). */
export function runFolderCount(stateDir: string): number {
  const runsDir = join(stateDir, 'runs');
  return existsSync(runsDir) ? readdirSync(runsDir).length : 0;
}

/**
 * An empty or missing database beside run folders is not "no runs yet": the record of those runs is lost, and
 * starting afresh would hide them. Refused with what to do.
 */
function refuseLostDatabase(stateDir: string, path: string): void {
  const size = existsSync(path) ? statSync(path).size : undefined;
  if (size !== undefined && size > 0) return;
  const runs = runFolderCount(stateDir);
  if (runs === 0) return;
  const runsDir = join(stateDir, 'runs');
  const what = size === undefined ? 'is missing' : 'is empty (0 bytes)';
  throw new BilevelError(
    'STATE_CORRUPT',
    `the state database ${path} ${what}, but ${runsDir} holds ${runs} run folder(s)`,
    {
      hint: `restore ${path} from a backup; or move ${runsDir} aside to start over in this --state-dir (each run's results.tsv and logs stay in its folder)`,
    },
  );
}

function migrate(database: Database): void {
  const version = database.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new BilevelError('STATE_CORRUPT', `the state database is from a newer bilevel (schema ${version})`, {
      hint: 'upgrade bilevel, or use another --state-dir',
    });
  }
  database
    .transaction(() => {
      for (let index = version; index < migrations.length; index++) {
        database.exec(migrations[index] as string);
      }
      database.pragma(`user_version = ${migrations.length}`);
    })
    .immediate();
}
