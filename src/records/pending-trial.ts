// A trial in flight: proposed, screened and applied to a slot's working copy, running now, not yet recorded.
import type { Proposal } from './proposal.js';
import type { TrialAttempt } from './trial-record.js';

export interface PendingTrial {
  runId: string;
  /** The trial's index, given when it was proposed. */
  index: number;
  /** The slot (working copy) it runs in. */
  slot: number;
  /** Who runs it: `local slot 2`, or a queue worker's name. */
  worker: string;
  /** The kept trial it branched from, and that trial's commit. */
  parent: number;
  parentCommit: string;
  proposal: Proposal;
  /** Who made the proposal (`llm`, `optuna:tpe`, `mechanism:NAME`, …), as the trial's record will say. */
  proposer: string | null;
  /** All tunables' values with the proposal applied, and what it changes from the parent. */
  values: Record<string, number | string | boolean>;
  changed: Record<string, [number | string | boolean, number | string | boolean]>;
  /** Rejected attempts before the accepted proposal. */
  attempts: TrialAttempt[];
  /** Indexes of the trials that were in flight when this one was proposed (what it was told is running). */
  inFlight: number[];
  /** ISO 8601. */
  startedAt: string;
}
