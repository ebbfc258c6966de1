// results.tsv in Karpathy's autoresearch columns: commit, <metric>, memory_gb, status, description.

import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { displayLine } from '../core/display-text.js';
import type { TrialRecord } from '../records/trial-record.js';

export function resultsHeader(metricName: string): string {
  return `commit\t${metricName}\tmemory_gb\tstatus\tdescription\n`;
}

/**
 * One row, as autoresearch writes it: the trial's short commit (kept trials on the run's branch, the others on their
 * side ref), and the proposal's description; the judge's reason stays in the database and the report. The
 * description (model and task text) is one safe line: no tab, newline or control character.
 */
export function resultsRow(trial: TrialRecord): string {
  const commit = trial.commit ? trial.commit.slice(0, 7) : '-';
  const metric = trial.metric === null ? '0.000000' : trial.metric.toFixed(6);
  const memory = trial.peakMemoryMb === null ? '0.0' : (trial.peakMemoryMb / 1024).toFixed(1);
  const description = displayLine(trial.summary, 300);
  return `${commit}\t${metric}\t${memory}\t${trial.status}\t${description}\n`;
}

/** Rewrites the whole file from the stored trials (atomic: temp file, then rename). Used at start and resume. */
export function writeResultsTsv(path: string, metricName: string, trials: readonly TrialRecord[]): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, resultsHeader(metricName) + trials.map(resultsRow).join(''));
  renameSync(temporary, path);
}

/** Appends one trial's row: constant work per trial, however long the run. */
export function appendResultsRow(path: string, trial: TrialRecord): void {
  appendFileSync(path, resultsRow(trial));
}
