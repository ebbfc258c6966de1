// When Level 2 runs: after every M-th Level 1.5 cycle, or early when the run sits on a plateau.
import type { MetaSettings } from './meta-settings.js';

export interface ScheduleInput {
  /** The trial just recorded: a session would run after it, before the next. */
  readonly lastTrial: number;
  /** Index of the best kept trial so far (0 when only the baseline). */
  readonly incumbentIndex: number;
  /** Boundaries that already have a stored session. */
  readonly done: ReadonlySet<number>;
}

/**
 * `cadence` every metaEvery × outerEvery trials (with or without Level 1.5 running); `plateau` once the run has gone
 * metaPlateau trials without a new best and metaPlateau trials since the last session; undefined otherwise, and
 * always for a boundary whose session is already stored (so a resume never repeats one).
 */
export function metaTrigger(
  input: ScheduleInput,
  settings: Pick<MetaSettings, 'outerEvery' | 'metaEvery' | 'metaPlateau'>,
): 'cadence' | 'plateau' | undefined {
  const { lastTrial, done } = input;
  if (lastTrial < 1 || done.has(lastTrial)) return undefined;
  if (lastTrial % (settings.metaEvery * settings.outerEvery) === 0) return 'cadence';
  const plateau = lastTrial - input.incumbentIndex;
  const sinceSession = lastTrial - Math.max(0, ...done);
  return plateau >= settings.metaPlateau && sinceSession >= settings.metaPlateau ? 'plateau' : undefined;
}
