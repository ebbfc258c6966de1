// Measured evidence for library mechanisms: each run's probation verdict, stored beside the gated module.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbationEvidence } from '../records/probation-evidence.js';
import { libraryDirectory } from './library.js';

/** One run's measurement of a library mechanism. */
export interface RunEvidence {
  readonly runId: string;
  /** The meta session that activated it in that run (null when --mechanisms did). */
  readonly sessionId: string | null;
  readonly activatedAtTrial: number;
  readonly probation: ProbationEvidence;
}

/**
 * Writes `<library>/<name>/evidence/<runId>.json` (temporary file, then rename). The module's hashed files are
 * untouched, so the entry still loads; a mechanism removed from the library meanwhile is skipped.
 */
export function recordLibraryEvidence(stateDir: string, name: string, evidence: RunEvidence): void {
  const entry = join(libraryDirectory(stateDir), name);
  if (!existsSync(entry)) return;
  const folder = join(entry, 'evidence');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${evidence.runId}.json`);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(evidence, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Every run's evidence for a library mechanism, by run id. */
export function readLibraryEvidence(stateDir: string, name: string): RunEvidence[] {
  const folder = join(libraryDirectory(stateDir), name, 'evidence');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as RunEvidence);
}

/** "kept in 2 runs, retired in 1 (inert in practice: …)" — or '' when never measured. */
export function summarizeEvidence(evidence: readonly RunEvidence[]): string {
  if (evidence.length === 0) return '';
  const kept = evidence.filter((item) => item.probation.verdict === 'kept').length;
  const retired = evidence.filter((item) => item.probation.verdict === 'retired');
  const last = retired.at(-1)?.probation.reason;
  return `kept in ${kept} run(s), retired in ${retired.length}${last ? ` (last: ${last.slice(0, 80)})` : ''}`;
}
