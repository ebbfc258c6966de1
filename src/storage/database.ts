// Opens the state database (one SQLite file for all runs) and brings its schema up to date.
import { mkdirSync } from 'node:fs';
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
  let database: Database;
  try {
    database = new BetterSqlite3(path);
  } catch (error) {
    throw new BilevelError('STATE_CORRUPT', `cannot open the state database ${path}`, {
      hint: 'check the --state-dir path and its permissions',
      cause: error,
    });
  }
  database.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a killed process; only a power loss can drop the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  migrate(database);
  return database;
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
