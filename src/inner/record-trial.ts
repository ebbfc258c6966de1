// Records a finished trial: its artifacts, the observers, then one transaction (the moment it becomes durable).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { TrialRecord } from '../records/trial-record.js';
import { insertMechanismEvent, type MechanismEventRow, saveMechanismActivity } from '../storage/mechanism-tables.js';
import { deletePendingTrial } from '../storage/pending-trials-table.js';
import { appendResultsRow } from '../storage/results-tsv.js';
import { insertTrial } from '../storage/trials-table.js';
import type { Execution } from './execute-trial.js';
import { liveMechanismContext } from './live-context.js';
import type { RunSession } from './run-session.js';

/** Stores mechanism events (changed decisions, strikes, retirements) — inside the caller's transaction. */
export function storePendingEvents(database: RunSession['database'], events: readonly MechanismEventRow[]): void {
  for (const event of events) insertMechanismEvent(database, event);
}

/** A trial as the cycle finished it: the record but for what `record` adds (run id, end time). */
export type FinishedTrial = Omit<TrialRecord, 'runId' | 'endedAt'>;

/** The record's fields that come from the trial's execution (none when it never ran). */
export function executionFields(
  execution: Execution | null,
): Pick<TrialRecord, 'logPath' | 'wallSeconds' | 'peakMemoryMb'> {
  return {
    logPath: execution?.logPath ?? null,
    wallSeconds: execution?.result.wallSeconds ?? null,
    peakMemoryMb: execution?.result.peakMemoryMb ?? null,
  };
}

/**
 * Writes the trial's artifacts, tells the mechanisms, then stores the trial, its mechanism events and counters in
 * one transaction (the moment the trial becomes durable), and appends its results.tsv row.
 */
export async function record(
  session: Pick<
    RunSession,
    | 'database'
    | 'run'
    | 'paths'
    | 'history'
    | 'mechanisms'
    | 'pendingEvents'
    | 'mechanismActivity'
    | 'task'
    | 'config'
    | 'settings'
    | 'pending'
  >,
  finished: FinishedTrial,
): Promise<TrialRecord> {
  const { database, run, paths } = session;
  const trial: TrialRecord = {
    ...finished,
    runId: run.id,
    reason: finished.status === 'keep' ? '' : finished.reason,
    endedAt: new Date().toISOString(),
  };
  // Artifacts first: a kill before the transaction leaves files the re-run overwrites, never a record without them.
  const folder = paths.trial(trial.index);
  await mkdir(folder, { recursive: true });
  if (trial.proposal) await writeFile(join(folder, 'proposal.json'), `${JSON.stringify(trial.proposal, null, 2)}\n`);
  if (trial.diff) await writeFile(join(folder, 'diff.patch'), trial.diff);
  // Observers see the trial before it is stored, so their counters and events land in the same transaction.
  session.history.add(trial);
  await session.mechanisms.onTrialEnd(liveMechanismContext(session, trial.index), toTrialRecordView(trial));
  const events = session.pendingEvents.splice(0);
  const activity = session.mechanismActivity();
  database.transaction(() => {
    insertTrial(database, trial);
    deletePendingTrial(database, run.id, trial.index);
    storePendingEvents(database, events);
    for (const entry of activity) saveMechanismActivity(database, run.id, entry.name, entry);
  })();
  appendResultsRow(paths.resultsTsv, trial);
  return trial;
}
