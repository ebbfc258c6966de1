// Whether each requested level can run within the run's trials, and the flags that would let it: said at the start.
import { metaTrigger } from '../meta/meta-schedule.js';
import type { RunConfig } from '../records/run-config.js';

/** The settings that decide when Levels 1.5 and 2 run. */
export type ReachSettings = Pick<RunConfig, 'levels' | 'trials' | 'outerEvery' | 'metaEvery' | 'metaPlateau'>;

/**
 * The first trial after which a level would run, by schedule, within this run; null when it never does. A cycle or
 * session runs between trials, before the next one, so "after trial t" needs t < trials.
 */
function firstWithin(trials: number, due: (lastTrial: number) => boolean): number | null {
  for (let lastTrial = 1; lastTrial < trials; lastTrial += 1) if (due(lastTrial)) return lastTrial;
  return null;
}

/** One line per requested level that cannot run (or may not) in this many trials, naming the flags that fix it. */
export function levelReachWarnings(settings: ReachSettings): string[] {
  const { trials, outerEvery, metaEvery, metaPlateau } = settings;
  const warnings: string[] = [];
  const shorterCycle = Math.max(1, Math.floor(trials / 2));
  // Level 1.5 is due after every outerEvery-th trial (outer/outer-loop.ts).
  if (settings.levels.includes('1.5') && firstWithin(trials, (last) => last % outerEvery === 0) === null) {
    warnings.push(
      `Level 1.5 cannot run in this run: its first cycle comes after trial ${outerEvery}, and the run ends at ` +
        `trial ${trials}. To let it run: --trials ${outerEvery + 1} or more` +
        `${trials >= 2 ? `, or --outer-every ${shorterCycle}` : ''}.`,
    );
  }
  if (!settings.levels.includes('2')) return warnings;
  const schedule = { outerEvery, metaEvery, metaPlateau };
  const none = new Set<number>();
  // By cadence: the incumbent moves every trial, so no plateau ever calls a session.
  const byCadence = firstWithin(
    trials,
    (last) => metaTrigger({ lastTrial: last, incumbentIndex: last, done: none }, schedule) !== undefined,
  );
  if (byCadence !== null) return warnings;
  // On a plateau at the earliest: nothing beats the baseline.
  const byPlateau = firstWithin(
    trials,
    (last) => metaTrigger({ lastTrial: last, incumbentIndex: 0, done: none }, schedule) !== undefined,
  );
  const cadence = metaEvery * outerEvery;
  const fewerCycles = Math.floor((trials - 1) / outerEvery);
  const fixes = [
    `--trials ${cadence + 1} or more`,
    fewerCycles >= 1
      ? `--meta-every ${fewerCycles} (a session after trial ${fewerCycles * outerEvery})`
      : trials >= 2
        ? `--outer-every ${shorterCycle} --meta-every 1 (a session after trial ${shorterCycle})`
        : null,
  ].filter((fix): fix is string => fix !== null);
  const when = `after trial ${cadence} (every ${metaEvery} Level 1.5 cycle${metaEvery === 1 ? '' : 's'} of ${outerEvery} trials)`;
  if (byPlateau === null) {
    warnings.push(
      `Level 2 cannot run in this run: its first session would come ${when} or after ${metaPlateau} trials ` +
        `without a new best, and the run ends at trial ${trials}. To let it run: ${fixes.join(', or ')}.`,
    );
  } else {
    warnings.push(
      `Level 2 may not run in this run: its first scheduled session would come ${when}, past the run's end at ` +
        `trial ${trials}; it runs only if ${metaPlateau} trials in a row bring no new best. To be sure it runs: ` +
        `${fixes.join(', or ')}.`,
    );
  }
  return warnings;
}
