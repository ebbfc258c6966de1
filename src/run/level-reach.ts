// Whether each requested level can run within the run's trials, and the settings that would let it: said at the start.
import { metaTrigger } from '../meta/meta-schedule.js';
import type { RunConfig } from '../records/run-config.js';
import { runSettings } from '../records/run-settings.js';

/** The settings that decide when Levels 1.5 and 2 run. */
export type ReachSettings = Pick<RunConfig, 'levels' | 'trials' | 'outerEvery' | 'metaEvery' | 'metaPlateau'>;

/** A setting a fix changes, and its new value; `trials` means "this many or more". */
export type ReachFix = Partial<Pick<ReachSettings, 'trials' | 'outerEvery' | 'metaEvery'>>;

/** A level that cannot run (or runs only if the search stalls) in this many trials, and what would let it. */
export interface LevelReach {
  level: '1.5' | '2';
  kind: 'cannot' | 'may-not';
  /** Why, in words, without the fixes. */
  reason: string;
  /** Each alternative that lets it run by schedule; the caller says them as flags or group keys. */
  fixes: ReachFix[];
  /** Where each fix's session or cycle would then come (after trial N), by alternative; null when unknown. */
  firstAfter: (number | null)[];
}

/**
 * The first trial after which a level would run, by schedule, within this run; null when it never does. A cycle or
 * session runs between trials, before the next one, so "after trial t" needs t < trials.
 */
function firstWithin(trials: number, due: (lastTrial: number) => boolean): number | null {
  for (let lastTrial = 1; lastTrial < trials; lastTrial += 1) if (due(lastTrial)) return lastTrial;
  return null;
}

/** Every requested level that cannot (or may not) run within the trials. */
export function levelReach(settings: ReachSettings): LevelReach[] {
  const { trials, outerEvery, metaEvery, metaPlateau } = settings;
  const found: LevelReach[] = [];
  const shorterCycle = Math.max(1, Math.floor(trials / 2));
  // Level 1.5 is due after every outerEvery-th trial (outer/outer-loop.ts).
  if (settings.levels.includes('1.5') && firstWithin(trials, (last) => last % outerEvery === 0) === null) {
    found.push({
      level: '1.5',
      kind: 'cannot',
      reason: `its first cycle comes after trial ${outerEvery}, and the run ends at trial ${trials}`,
      fixes: [{ trials: outerEvery + 1 }, ...(trials >= 2 ? [{ outerEvery: shorterCycle }] : [])],
      firstAfter: [outerEvery, ...(trials >= 2 ? [shorterCycle] : [])],
    });
  }
  if (!settings.levels.includes('2')) return found;
  const schedule = { outerEvery, metaEvery, metaPlateau };
  const none = new Set<number>();
  // By cadence: the incumbent moves every trial, so no plateau ever calls a session.
  const due = (incumbent: (last: number) => number) => (last: number) =>
    metaTrigger({ lastTrial: last, incumbentIndex: incumbent(last), done: none }, schedule) !== undefined;
  if (
    firstWithin(
      trials,
      due((last) => last),
    ) !== null
  )
    return found;
  // On a plateau at the earliest: nothing beats the baseline.
  const byPlateau = firstWithin(
    trials,
    due(() => 0),
  );
  const cadence = metaEvery * outerEvery;
  const fewerCycles = Math.floor((trials - 1) / outerEvery);
  const fixes: ReachFix[] = [{ trials: cadence + 1 }];
  const firstAfter: (number | null)[] = [cadence];
  if (fewerCycles >= 1) {
    fixes.push({ metaEvery: fewerCycles });
    firstAfter.push(fewerCycles * outerEvery);
  } else if (trials >= 2) {
    fixes.push({ outerEvery: shorterCycle, metaEvery: 1 });
    firstAfter.push(shorterCycle);
  }
  const when = `after trial ${cadence} (every ${metaEvery} Level 1.5 cycle${metaEvery === 1 ? '' : 's'} of ${outerEvery} trials)`;
  found.push(
    byPlateau === null
      ? {
          level: '2',
          kind: 'cannot',
          reason:
            `its first session would come ${when} or after ${metaPlateau} trials without a new best, and the run ` +
            `ends at trial ${trials}`,
          fixes,
          firstAfter,
        }
      : {
          level: '2',
          kind: 'may-not',
          reason:
            `its first scheduled session would come ${when}, past the run's end at trial ${trials}; it runs only if ` +
            `${metaPlateau} trials in a row bring no new best`,
          fixes,
          firstAfter,
        },
  );
  return found;
}

/** The flag that sets a setting, as `bilevel run` spells it (from the settings table). */
function flagOf(key: keyof ReachFix): string {
  return (runSettings[key].flag ?? key).split(' ')[0]!;
}

/** How a fix reads as `bilevel run` flags. */
export function fixAsFlags(fix: ReachFix): string {
  return (Object.entries(fix) as [keyof ReachFix, number][])
    .map(([key, value]) => `${flagOf(key)} ${value}${key === 'trials' ? ' or more' : ''}`)
    .join(' ');
}

/** One sentence for a reach problem, its fixes said by `say` (flags for a run, group keys for a study). */
export function reachSentence(reach: LevelReach, say: (fix: ReachFix) => string): string {
  const alternatives = reach.fixes.map((fix, index) => {
    const after = reach.firstAfter[index];
    const text = say(fix);
    return after === null || fix.trials !== undefined
      ? text
      : `${text} (a ${reach.level === '2' ? 'session' : 'cycle'} after trial ${after})`;
  });
  return reach.kind === 'cannot'
    ? `Level ${reach.level} cannot run in this run: ${reach.reason}. To let it run: ${alternatives.join(', or ')}.`
    : `Level ${reach.level} may not run in this run: ${reach.reason}. To be sure it runs: ${alternatives.join(', or ')}.`;
}

/** The warnings `bilevel run` prints at the start, one per level that cannot (or may not) run, with flags. */
export function levelReachWarnings(settings: ReachSettings): string[] {
  return levelReach(settings).map((reach) => reachSentence(reach, fixAsFlags));
}
