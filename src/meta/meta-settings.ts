// Level 2's settings for a run: the stored config's values, or the defaults for configs that predate them.
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

export const defaultMetaSettings = { metaEvery: 2, metaPlateau: 10, probationWindow: 10, repairAttempts: 2 } as const;

export function metaSettings(config: RunConfig): MetaSettings {
  return {
    outerEvery: config.outerEvery,
    metaEvery: config.metaEvery ?? defaultMetaSettings.metaEvery,
    metaPlateau: config.metaPlateau ?? defaultMetaSettings.metaPlateau,
    probationWindow: config.probationWindow ?? defaultMetaSettings.probationWindow,
    repairAttempts: config.repairAttempts ?? defaultMetaSettings.repairAttempts,
  };
}
