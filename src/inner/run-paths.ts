// Where a run keeps its files inside the state dir.
import { join } from 'node:path';

export interface RunPaths {
  /** `<state-dir>/runs/<run-id>` */
  root: string;
  /** The private git working copy of the task. */
  work: string;
  /** Karpathy-style results log. */
  resultsTsv: string;
  /** Shared cache for tasks (e.g. prepared data), given to programs as BILEVEL_CACHE_DIR. */
  cache: string;
  /** Per-trial artifacts: proposal.json, diff.patch, run.log. */
  trial(index: number): string;
}

export function runPaths(stateDir: string, runId: string): RunPaths {
  const root = join(stateDir, 'runs', runId);
  return {
    root,
    work: join(root, 'work'),
    resultsTsv: join(root, 'results.tsv'),
    cache: join(stateDir, 'cache'),
    trial: (index) => join(root, 'trials', String(index).padStart(4, '0')),
  };
}
