// A run's record: its id, task, config, lifecycle state and where its files live (one row of the `runs` table).
import type { MetricDirection } from '../core/metric-direction.js';
import type { RunConfig } from './run-config.js';

export type RunState = 'running' | 'finished' | 'interrupted' | 'failed';

export interface RunRecord {
  id: string;
  taskName: string;
  /** The task's metric: its name and whether lower or higher is better. */
  metric: { name: string; direction: MetricDirection };
  config: RunConfig;
  state: RunState;
  /** Why it ended or stopped (empty while running or when finished normally). */
  stateReason: string;
  workDir: string;
  branch: string;
  baselineCommit: string;
  /** Protected file path → sha256, taken at the start. */
  protectedHashes: Record<string, string>;
  /** Prompt file name → sha256, for every prompt the run used. */
  promptHashes: Record<string, string>;
  /** Process that holds the run while it is `running`. */
  pid: number | null;
  createdAt: string;
  updatedAt: string;
}
