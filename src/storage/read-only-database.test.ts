import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeRecordedRun } from '../serve/__fixtures__/recorded-state.js';
import { openDatabase } from './database.js';
import { migrations } from './migrations.js';
import { databasePath, dataVersion, openDatabaseReadOnly, tableColumns } from './read-only-database.js';
import { countTrials } from './trials-table.js';

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'bilevel-read-only-'));
}

describe('openDatabaseReadOnly', () => {
  it('reads what a writer commits, sees data_version move, and cannot write', () => {
    const dir = stateDir();
    const writer = openDatabase(dir);
    writeRecordedRun(writer, dir, { id: 'r1', trials: 3, logs: false });
    const reader = openDatabaseReadOnly(dir);
    expect(countTrials(reader, 'r1')).toBe(4);
    const before = dataVersion(reader);
    writeRecordedRun(writer, dir, { id: 'r2', trials: 2, logs: false });
    expect(dataVersion(reader)).not.toBe(before);
    expect(countTrials(reader, 'r2')).toBe(3);
    expect(() => reader.prepare("UPDATE runs SET state = 'failed'").run()).toThrow(/readonly/i);
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
    writer.close();
  });

  it('refuses a missing database (RUN_NOT_FOUND) and an older schema it cannot migrate (CONFIG)', () => {
    const dir = stateDir();
    expect(() => openDatabaseReadOnly(dir)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
    const old = new BetterSqlite3(join(dir, 'bilevel.sqlite'));
    old.exec(migrations[0] as string);
    old.pragma('user_version = 1');
    old.close();
    expect(() => openDatabaseReadOnly(dir)).toThrow(
      expect.objectContaining({ code: 'CONFIG', hint: expect.stringContaining('bilevel status') }),
    );
  });

  it('lists a table’s columns, and none for a table that does not exist', () => {
    const dir = stateDir();
    openDatabase(dir).close();
    const reader = openDatabaseReadOnly(dir);
    expect(tableColumns(reader, 'trials').has('diff')).toBe(true);
    expect(tableColumns(reader, 'no_such_table').size).toBe(0);
    expect(databasePath(dir)).toBe(join(dir, 'bilevel.sqlite'));
    reader.close();
  });
});
