// Level 2's settings for a run, as the meta level reads them from the run config.
import type { RunConfig } from '../records/run-config.js';

export interface MetaSettings {
  /** Trials between Level 1.5 cycles (K). */
  readonly outerEvery: number;
  /** Level 1.5 cycles between meta sessions (M): a session every M × K trials. */
  readonly metaEvery: number;
  /** Trials without a new best (and without a session) that call a session early. */
  readonly metaPlateau: number;
  /** Trials of an injected mechanism's probation window (W). */
  readonly probationWindow: number;
  /** Repair round trips after a failed gate. */
  readonly repairAttempts: number;
}

/** Level 2's settings, read from the run config (the settings table gives them their defaults). */
export function metaSettings(config: RunConfig): MetaSettings {
  const { outerEvery, metaEvery, metaPlateau, probationWindow, repairAttempts } = config;
  return { outerEvery, metaEvery, metaPlateau, probationWindow, repairAttempts };
}
