// Everything one process needs to drive a run: its record, task, working copy, proposer, mechanisms and memory.

import type { Executor } from '../executor/executor.js';
import type { RunConfig } from '../records/run-config.js';
import type { RunRecord } from '../records/run-record.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { TrialIsolation } from '../records/trial-isolation.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import type { MechanismEventRow } from '../storage/mechanism-tables.js';
import type { Task } from '../task/load-task.js';
import type { GitWorkspace } from './git-workspace.js';
import type { LoopMechanisms } from './loop-mechanisms.js';
import type { Proposer } from './proposer.js';
import type { RunHistory } from './run-history.js';
import type { RunPaths } from './run-paths.js';

/** Progress the CLI shows; `trial-end` after each recorded trial. */
export type ProgressEvent =
  | { type: 'trial-start'; index: number; total: number }
  | { type: 'trial-end'; trial: TrialRecord; total: number; best: TrialRecord | null }
  | { type: 'settings'; cycle: number; changes: string[] }
  | { type: 'note'; message: string };

/** What a Level 1.5 or Level 2 cycle reads of the running loop, between trials. */
export type CycleView = Pick<RunSession, 'history' | 'settings' | 'signal' | 'onProgress'>;

export interface RunSession {
  readonly database: Database;
  readonly run: RunRecord;
  readonly config: RunConfig;
  readonly task: Task;
  readonly stateDir: string;
  readonly paths: RunPaths;
  readonly workspace: GitWorkspace;
  readonly executor: Executor;
  /** Whether trials run jailed (resolved from --isolation at session start) and, if not, why. */
  readonly isolation: TrialIsolation;
  /** sha256 of each file under the task's external hidden paths, taken after the prepare step; checked after each step. */
  externalHashes: Record<string, string>;
  readonly proposer: Proposer;
  readonly mechanisms: LoopMechanisms;
  readonly history: RunHistory;
  /** Level 1.5's current settings; replaced (never mutated) by each outer cycle. */
  settings: SearchSettings;
  /** Each active mechanism's counters, stored with every trial. */
  readonly mechanismActivity: () => readonly { readonly name: string }[];
  /** Level 1.5, when enabled: runs a cycle before trial `nextIndex` if one is due, and returns the new settings. */
  readonly outer?: { runDueCycle(view: CycleView, nextIndex: number): Promise<SearchSettings | undefined> };
  /** Level 2, when enabled: judges injected mechanisms and runs a meta session before trial `nextIndex` if due. */
  readonly meta?: { runDue(view: CycleView, nextIndex: number): Promise<void> };
  /** Mechanism events waiting to be stored with the next trial. */
  readonly pendingEvents: MechanismEventRow[];
  readonly signal: AbortSignal;
  /** Releases sandbox host processes and other resources of the parts. */
  readonly dispose: () => Promise<void>;
  readonly onProgress: (event: ProgressEvent) => void;
}
