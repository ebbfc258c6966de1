// The read-only picture of a finished trial that proposers, mechanisms and analysts are shown.
import type { ParamValue } from '../task/task-definition.js';

/** keep: better, committed. discard: measured, not better. crash/timeout: the run failed. rejected: never run. */
export type TrialStatus = 'keep' | 'discard' | 'crash' | 'timeout' | 'rejected';

export const trialStatuses: readonly TrialStatus[] = ['keep', 'discard', 'crash', 'timeout', 'rejected'];

export interface TrialView {
  /** 0 is the baseline. */
  index: number;
  status: TrialStatus;
  /** The measured metric; null when the trial crashed, timed out, was rejected or printed NaN. */
  metric: number | null;
  /** Param values in effect for this trial (all tunables, after the proposal was applied). */
  values: Record<string, ParamValue>;
  /** Only the params this trial changed from its parent: name → [before, after]. */
  changed: Record<string, [ParamValue, ParamValue]>;
  /** The proposal's one-line summary. */
  summary: string;
  /** Why it was rejected, crashed or discarded, in one line; empty for a keep. */
  reason: string;
  /** Trial index this one branched from (the parent's kept state). */
  parent: number;
}
