// Where a run keeps its files inside the state dir.
import { join } from 'node:path';

export interface RunPaths {
  /** `<state-dir>/runs/<run-id>` */
  root: string;
  /** The private git working copy of the task. */
  work: string;
  /** Karpathy-style results log. */
  resultsTsv: string;
  /** The state dir itself (hidden from every jailed program). */
  stateDir: string;
  /** Shared cache for tasks (downloads, scratch), given to programs as BILEVEL_CACHE_DIR; trials may write it. */
  cache: string;
  /** Prepared data, given as BILEVEL_DATA_DIR: only a task's prepare step writes it; trials read it (or not at all). */
  data: string;
  /** Per-trial artifacts: proposal.json, diff.patch, run.log (evaluate.log, serve.log), output/. */
  trial(index: number): string;
}

export function runPaths(stateDir: string, runId: string): RunPaths {
  const root = join(stateDir, 'runs', runId);
  return {
    root,
    work: join(root, 'work'),
    resultsTsv: join(root, 'results.tsv'),
    stateDir,
    cache: join(stateDir, 'cache'),
    data: join(stateDir, 'data'),
    trial: (index) => join(root, 'trials', String(index).padStart(4, '0')),
  };
}
