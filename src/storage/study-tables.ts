// Ablation studies: one row per study (its definition), one per group × repeat naming the run that carries it.
import type { Database } from './database.js';

export interface StoredStudy {
  id: string;
  /** The study definition as stored (validated by the caller). */
  definition: unknown;
  createdAt: string;
}

export interface StudyRunRow {
  studyId: string;
  group: string;
  /** Repeat number, 0-based; the run's seed is the repeat number. */
  repeat: number;
  runId: string;
  /** Seconds `bilevel ablate` spent driving this run, summed over every invocation (excludes time it was stopped). */
  driveSeconds: number;
}

/** Stores the study unless it exists; returns the stored row (the first definition wins). */
export function ensureStudy(database: Database, id: string, definition: unknown): StoredStudy {
  database
    .prepare('INSERT OR IGNORE INTO studies (id, definition_json, created_at) VALUES (?, ?, ?)')
    .run(id, JSON.stringify(definition), new Date().toISOString());
  return findStudy(database, id) as StoredStudy;
}

export function findStudy(database: Database, id: string): StoredStudy | undefined {
  const row = database.prepare('SELECT * FROM studies WHERE id = ?').get(id) as
    | { id: string; definition_json: string; created_at: string }
    | undefined;
  return row ? { id: row.id, definition: JSON.parse(row.definition_json), createdAt: row.created_at } : undefined;
}

export function insertStudyRun(database: Database, row: Omit<StudyRunRow, 'driveSeconds'>): void {
  database
    .prepare('INSERT INTO study_runs (study_id, group_name, repeat_index, run_id) VALUES (?, ?, ?, ?)')
    .run(row.studyId, row.group, row.repeat, row.runId);
}

export function listStudyRuns(database: Database, studyId: string): StudyRunRow[] {
  const rows = database
    .prepare('SELECT * FROM study_runs WHERE study_id = ? ORDER BY repeat_index, rowid')
    .all(studyId) as {
    study_id: string;
    group_name: string;
    repeat_index: number;
    run_id: string;
    drive_seconds: number;
  }[];
  return rows.map((row) => ({
    studyId: row.study_id,
    group: row.group_name,
    repeat: row.repeat_index,
    runId: row.run_id,
    driveSeconds: row.drive_seconds,
  }));
}

/** Adds the seconds one invocation spent driving the run. */
export function addStudyRunSeconds(
  database: Database,
  studyId: string,
  group: string,
  repeat: number,
  seconds: number,
): void {
  database
    .prepare(
      'UPDATE study_runs SET drive_seconds = drive_seconds + ? WHERE study_id = ? AND group_name = ? AND repeat_index = ?',
    )
    .run(seconds, studyId, group, repeat);
}

/** Every stored study, oldest first. */
export function listStudies(database: Database): StoredStudy[] {
  const rows = database.prepare('SELECT * FROM studies ORDER BY created_at, id').all() as {
    id: string;
    definition_json: string;
    created_at: string;
  }[];
  return rows.map((row) => ({ id: row.id, definition: JSON.parse(row.definition_json), createdAt: row.created_at }));
}
