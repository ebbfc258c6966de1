import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BilevelError } from '../core/errors.js';
import { asStateError, databaseFileName, openDatabase } from './database.js';

function freshStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'bilevel-db-'));
}

function openError(stateDir: string): BilevelError {
  try {
    openDatabase(stateDir).close();
  } catch (error) {
    return error as BilevelError;
  }
  throw new Error('openDatabase did not fail');
}

describe('openDatabase on a damaged or lost state database', () => {
  test('a database cut to 1000 bytes is STATE_CORRUPT with what to do, not an SqliteError', () => {
    const stateDir = freshStateDir();
    const database = openDatabase(stateDir);
    database.exec('CREATE TABLE filler (text TEXT); INSERT INTO filler VALUES (hex(randomblob(20000)))');
    database.close();
    truncateSync(join(stateDir, databaseFileName), 1000);
    const error = openError(stateDir);
    expect(error).toBeInstanceOf(BilevelError);
    expect(error.code).toBe('STATE_CORRUPT');
    expect(error.message).toContain('is damaged');
    expect(error.hint).toMatch(/mv .*bilevel\.sqlite .*\.damaged/);
    expect(error.isUserError).toBe(false);
  });

  test('a file that is not a database at all is STATE_CORRUPT', () => {
    const stateDir = freshStateDir();
    writeFileSync(join(stateDir, databaseFileName), 'not a database, just some text that is long enough '.repeat(40));
    expect(openError(stateDir).code).toBe('STATE_CORRUPT');
  });

  test('a zero-byte or missing database beside run folders is STATE_CORRUPT, not "no runs yet"', () => {
    const stateDir = freshStateDir();
    mkdirSync(join(stateDir, 'runs', '20260101-000000-abcd'), { recursive: true });
    expect(openError(stateDir)).toMatchObject({
      code: 'STATE_CORRUPT',
      message: expect.stringContaining('is missing'),
    });
    writeFileSync(join(stateDir, databaseFileName), '');
    const error = openError(stateDir);
    expect(error.message).toMatch(/is empty \(0 bytes\), but .*runs holds 1 run folder/);
    expect(error.hint).toContain('restore');
  });

  test('a fresh state dir (no database, no runs) opens; other errors pass through asStateError unchanged', () => {
    const stateDir = freshStateDir();
    openDatabase(stateDir).close();
    const other = new Error('disk full');
    expect(asStateError(other)).toBe(other);
  });
});
