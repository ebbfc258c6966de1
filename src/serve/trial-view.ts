// One trial whole, for the row a user clicks: its record, diff, proposal and attempts, and the tail of its log.
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Database } from '../storage/database.js';
import { type TrialWhole, trialWhole } from '../storage/trial-reads.js';

/** The last bytes of a log the page shows (the whole file stays on disk). */
export const logTailBytes = 16 * 1024;

export interface LogTail {
  /** The tail as text (UTF-8; a character cut at the start is replaced). */
  text: string;
  /** The file's whole size in bytes, and whether the tail is all of it. */
  bytes: number;
  complete: boolean;
}

export interface TrialView extends TrialWhole {
  log: LogTail | null;
  /** Why there is no log to show (no log recorded, the file is gone, or it lies outside the state dir). */
  logMissing?: string;
}

/** The trial, or undefined when the run has none with that index. */
export function buildTrialView(
  database: Database,
  stateDir: string,
  runId: string,
  index: number,
): TrialView | undefined {
  const trial = trialWhole(database, runId, index);
  if (!trial) return undefined;
  if (trial.logPath === null) return { ...trial, log: null, logMissing: 'no log was recorded for this trial' };
  const tail = readLogTail(stateDir, trial.logPath);
  return typeof tail === 'string' ? { ...trial, log: null, logMissing: tail } : { ...trial, log: tail };
}

/**
 * The last `logTailBytes` of a log inside the state dir; a reason string when it cannot be read. Only files under
 * the state dir are read, whatever path the database names.
 */
export function readLogTail(stateDir: string, path: string): LogTail | string {
  let real: string;
  let root: string;
  try {
    real = realpathSync(path);
    root = realpathSync(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `the log file is gone: ${path}`;
    throw error;
  }
  if (!real.startsWith(root + sep)) return `the log file lies outside the state dir: ${path}`;
  const bytes = statSync(real).size;
  const length = Math.min(bytes, logTailBytes);
  const buffer = Buffer.alloc(length);
  const descriptor = openSync(real, 'r');
  try {
    readSync(descriptor, buffer, 0, length, bytes - length);
  } finally {
    closeSync(descriptor);
  }
  return { text: buffer.toString('utf8'), bytes, complete: length === bytes };
}
