// Everything one process needs to drive a run: its record, task, slots, proposer, mechanisms and memory.

import type { SerialLock } from '../core/serial-lock.js';
import type { Executor } from '../executor/executor.js';
import type { PendingTrial } from '../records/pending-trial.js';
import type { RunConfig } from '../records/run-config.js';
import type { RunRecord } from '../records/run-record.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { TrialIsolation } from '../records/trial-isolation.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import type { MechanismEventRow } from '../storage/mechanism-tables.js';
import type { Task } from '../task/load-task.js';
import type { LoopMechanisms } from './loop-mechanisms.js';
import type { Proposer } from './proposer.js';
import type { RunHistory } from './run-history.js';
import type { RunPaths } from './run-paths.js';
import type { TrialSlot } from './trial-slot.js';

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
  /** Where trials run: one slot per worker, each with its own working copy (slot 0 is `work/`). */
  readonly slots: readonly TrialSlot[];
  /** Trials in flight (proposed, not yet recorded), by index. */
  readonly pending: Map<number, PendingTrial>;
  /** The index the next new trial gets (after every recorded and every in-flight one). */
  readonly nextIndex: number;
  /** Trials that were in flight when the run last stopped: run again, as proposed, before anything new. */
  readonly interrupted: readonly PendingTrial[];
  /** Finishing trials are judged and recorded one at a time, each against the incumbent as it stands then. */
  readonly recordLock: SerialLock;
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
  /** Level 1.5, when enabled: whether a cycle is due before trial `nextIndex`; runs it and returns the new settings. */
  readonly outer?: {
    isDue(nextIndex: number): boolean;
    runDueCycle(view: CycleView, nextIndex: number): Promise<SearchSettings | undefined>;
  };
  /**
   * Level 2, when enabled: whether it has work before trial `nextIndex` (a probation verdict, a retirement to note, a
   * meta session); `runDue` does it, deciding again on the complete record.
   */
  readonly meta?: {
    isDue(view: CycleView, nextIndex: number): boolean;
    runDue(view: CycleView, nextIndex: number): Promise<void>;
  };
  /** Mechanism events waiting to be stored with the next trial. */
  readonly pendingEvents: MechanismEventRow[];
  readonly signal: AbortSignal;
  /** Releases sandbox host processes and other resources of the parts. */
  readonly dispose: () => Promise<void>;
  readonly onProgress: (event: ProgressEvent) => void;
}
