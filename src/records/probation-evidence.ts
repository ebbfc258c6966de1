// What a probation measured: an injected mechanism's window of trials against the window before it, and the verdict.

/** What a window of trials achieved. */
export interface WindowStats {
  /** First and last trial index of the window (inclusive). */
  readonly from: number;
  readonly to: number;
  readonly trials: number;
  readonly keeps: number;
  /** Crashes, timeouts and rejected proposals. */
  readonly failures: number;
  /** How much the best metric improved over the window, in metric units (positive = better, 0 = no new best). */
  readonly gain: number;
}

export interface ProbationEvidence {
  readonly window: WindowStats;
  readonly previous: WindowStats;
  /** Decisions the mechanism changed inside its window. */
  readonly decisionsChanged: number;
  /** Hook failures inside its window. */
  readonly strikes: number;
  readonly verdict: 'kept' | 'retired';
  readonly reason: string;
}
