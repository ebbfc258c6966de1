// One Level 1.5 cycle's result as an immutable record: the settings that apply from the next trial on.
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';
import type { SearchSettings } from './search-settings.js';

/** What one outer-loop cycle decided; deep-frozen, so a stored history can never change after the fact. */
export interface SettingsSnapshot {
  /** 1 for the first cycle, then 2, 3, … */
  readonly cycle: number;
  /** The last trial the analyst saw; the settings apply from trial `afterTrial + 1` on. */
  readonly afterTrial: number;
  /** The settings decided by this cycle (the previous ones when the analysis failed). */
  readonly settings: Readonly<SearchSettings>;
  /** `rules` or `llm`. */
  readonly analyst: string;
  /** Why, in a few sentences. */
  readonly rationale: string;
  /** What changed, one human-readable line each (e.g. "froze WEIGHT_DECAY: 6 moves, none kept"). */
  readonly changes: readonly string[];
  /** False when the analysis failed and the previous settings were kept. */
  readonly ok: boolean;
  /** Why the analysis failed (only when `ok` is false). */
  readonly error?: string;
}

/** A deep copy of the settings, frozen at every level (the `frozen` list included). */
export function freezeSettings(settings: SearchSettings): Readonly<SearchSettings> {
  return Object.freeze({
    frozen: Object.freeze([...settings.frozen]) as string[],
    strategy: settings.strategy,
    guidance: settings.guidance,
  });
}

/** A deep copy of the snapshot, frozen at every level. */
export function freezeSnapshot(snapshot: SettingsSnapshot): SettingsSnapshot {
  const copy: SettingsSnapshot = {
    cycle: snapshot.cycle,
    afterTrial: snapshot.afterTrial,
    settings: freezeSettings(snapshot.settings),
    analyst: snapshot.analyst,
    rationale: snapshot.rationale,
    changes: Object.freeze([...snapshot.changes]),
    ok: snapshot.ok,
    ...(snapshot.error === undefined ? {} : { error: snapshot.error }),
  };
  return Object.freeze(copy);
}

/** The stored shape of a snapshot (SQLite keeps it as JSON). */
export const settingsSnapshotSchema = z.object({
  cycle: z.number().int().positive(),
  afterTrial: z.number().int().nonnegative(),
  settings: z.object({
    frozen: z.array(z.string()),
    strategy: z.enum(['explore', 'exploit', 'balanced']),
    guidance: z.string(),
  }),
  analyst: z.string(),
  rationale: z.string(),
  changes: z.array(z.string()),
  ok: z.boolean(),
  error: z.string().optional(),
});

/** Checks a snapshot read back from storage and returns it deep-frozen; throws STATE_CORRUPT when it does not fit. */
export function parseSettingsSnapshot(value: unknown): SettingsSnapshot {
  const parsed = settingsSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    throw new BilevelError(
      'STATE_CORRUPT',
      `a stored Level 1.5 settings snapshot is malformed: ${parsed.error.message}`,
      {
        hint: 'the run state was changed outside bilevel; start a new run or restore the state directory',
      },
    );
  }
  return freezeSnapshot(parsed.data);
}
