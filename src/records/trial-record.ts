// The trial record: what every level is shown of a finished trial (the contract's TrialRecordView), plus what the run stores.
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { Proposal } from './proposal.js';

/** keep: better, committed. discard: measured, not better. crash/timeout: the run failed. rejected: never run. */
export type TrialStatus = TrialRecordView['status'];

export const trialStatuses: readonly TrialStatus[] = ['keep', 'discard', 'crash', 'timeout', 'rejected'];

/** A rejected proposal attempt inside a trial, or a crash-fix attempt. */
export interface TrialAttempt {
  kind: 'rejected' | 'fix';
  reason: string;
  proposal?: Proposal;
  /** Who made the attempt's proposal (as `TrialRecord.proposer`); absent in records from before it was kept. */
  proposer?: string;
}

/**
 * A finished trial as the run records it (one row of the `trials` table): the view every proposer, mechanism and
 * analyst is shown, plus what was run and how it went.
 */
export interface TrialRecord extends TrialRecordView {
  runId: string;
  /**
   * The commit holding the trial's code: on the run's branch for kept trials and the baseline, on the side ref
   * `refs/bilevel/trials/<index>` otherwise (a rejected trial's is its parent's code). Null only in records stored
   * before every trial was committed.
   */
  commit: string | null;
  proposal: Proposal | null;
  attempts: TrialAttempt[];
  /** Metrics of confirmation re-runs requested by mechanisms, oldest first. */
  confirmations: number[];
  /** The trial's change as a unified diff (kept for discarded trials too). */
  diff: string;
  logPath: string | null;
  /** Wall time of the trial's program, in seconds. */
  wallSeconds: number | null;
  /** Peak resident memory of the trial's program, in MiB. */
  peakMemoryMb: number | null;
  /** Who ran it: `local slot 2`, or a queue worker's name; null for records written before slots existed. */
  worker: string | null;
  /** Indexes of the trials that were in flight when this one was proposed (empty with one worker). */
  inFlight: number[];
  /**
   * Who made the trial's proposal: a proposer arm (`llm`, `random`, `optuna:tpe`, …) or `mechanism:NAME` for a
   * mechanism's `propose`; null for the baseline and for trials recorded before this was kept.
   */
  proposer: string | null;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
}
