// Level 1.5: every K trials, run the analyst on the trace and record the new settings as an immutable snapshot.
import { BilevelError } from '../core/errors.js';
import { defaultSearchSettings, type SearchSettings } from '../records/search-settings.js';
import {
  freezeSettings,
  freezeSnapshot,
  parseSettingsSnapshot,
  type SettingsSnapshot,
  settingsSnapshotSchema,
} from '../records/settings-snapshot.js';
import type { Analyst, AnalystInput } from './analyst.js';

export interface OuterLoopOptions {
  analyst: Analyst;
  /** K: run a cycle after every K-th trial (after trials K, 2K, …). Default 5. */
  everyTrials?: number;
  /** Snapshots restored from storage on a resume, oldest first (checked, so raw parsed JSON is fine); cycles continue after them. */
  snapshots?: readonly unknown[];
  /** The settings before the first cycle; default `defaultSearchSettings`. */
  initialSettings?: SearchSettings;
}

/** What the caller passes per cycle; the loop adds the cycle number, the current settings and earlier snapshots. */
export type OuterCycleInput = Omit<AnalystInput, 'cycle' | 'settings' | 'previous'>;

export interface OuterLoop {
  /** K. */
  readonly everyTrials: number;
  /** True when a cycle should run now that trial `trialIndex` is recorded (a multiple of K not yet analysed). */
  isDue(trialIndex: number): boolean;
  /** Runs one cycle and returns its deep-frozen snapshot; its settings apply from trial `trialIndex + 1`. */
  runCycle(input: OuterCycleInput): Promise<SettingsSnapshot>;
  /** Every snapshot so far, oldest first (each deep-frozen; the list is a copy). */
  snapshots(): readonly SettingsSnapshot[];
  /** The settings in effect now: the latest snapshot's, or the initial ones. */
  current(): Readonly<SearchSettings>;
}

const settingsSchema = settingsSnapshotSchema.shape.settings;

export function createOuterLoop(options: OuterLoopOptions): OuterLoop {
  const everyTrials = options.everyTrials ?? 5;
  if (!Number.isInteger(everyTrials) || everyTrials < 1) {
    throw new BilevelError('USAGE', `the outer loop's K must be a whole number ≥ 1 (got ${everyTrials})`, {
      hint: 'pass a positive whole number of trials between Level 1.5 cycles',
    });
  }
  const history: SettingsSnapshot[] = (options.snapshots ?? []).map(parseSettingsSnapshot);
  const initial = freezeSettings(options.initialSettings ?? defaultSearchSettings);
  const current = (): Readonly<SearchSettings> => history.at(-1)?.settings ?? initial;
  const lastAnalysed = (): number => history.at(-1)?.afterTrial ?? 0;

  return {
    everyTrials,
    isDue: (trialIndex) => trialIndex > 0 && trialIndex % everyTrials === 0 && trialIndex > lastAnalysed(),
    snapshots: () => [...history],
    current,
    async runCycle(input) {
      if (input.trialIndex <= lastAnalysed() && history.length > 0) {
        throw new BilevelError('INTERNAL', `a Level 1.5 cycle already ran after trial ${lastAnalysed()}`, {
          hint: 'call runCycle only when isDue(trialIndex) is true',
        });
      }
      const before = current();
      const cycle = history.length + 1;
      const result = await options.analyst.analyze({
        ...input,
        cycle,
        settings: freezeSettings(before),
        previous: [...history],
      });
      const parsed = settingsSchema.safeParse(result.settings);
      const known = new Set(input.params.map((param) => param.name));
      const unknown = parsed.success ? parsed.data.frozen.filter((name) => !known.has(name)) : [];
      if (!parsed.success || unknown.length > 0) {
        throw new BilevelError('INTERNAL', `analyst ${options.analyst.name} returned invalid settings`, {
          hint: parsed.success ? `unknown frozen params: ${unknown.join(', ')}` : parsed.error.message,
        });
      }
      const snapshot = freezeSnapshot({
        cycle,
        afterTrial: input.trialIndex,
        settings: result.ok ? parsed.data : before,
        analyst: options.analyst.name,
        rationale: result.rationale,
        changes: result.changes,
        ok: result.ok,
        ...(result.ok ? {} : { error: result.error ?? 'the analysis failed' }),
      });
      history.push(snapshot);
      return snapshot;
    },
  };
}
