import { describe, expect, it } from 'vitest';
import { levelReachWarnings, type ReachSettings } from './level-reach.js';

const defaults: ReachSettings = { levels: ['1', '1.5', '2'], trials: 20, outerEvery: 5, metaEvery: 2, metaPlateau: 10 };

/** Each alternative a warning offers ("To let it run: A, or B"), as the settings it names. */
function fixesOf(warning: string): Partial<ReachSettings>[] {
  const offered = /To (?:let it run|be sure it runs): (.*)\.$/.exec(warning)?.[1] ?? '';
  const keys: Record<string, keyof ReachSettings> = {
    trials: 'trials',
    'outer-every': 'outerEvery',
    'meta-every': 'metaEvery',
    'meta-plateau': 'metaPlateau',
  };
  return offered
    .split(', or ')
    .map((alternative) =>
      Object.fromEntries(
        [...alternative.matchAll(/--([a-z-]+) (\d+)/g)].map(([, flag, value]) => [keys[flag!], Number(value)]),
      ),
    );
}

describe('levelReachWarnings', () => {
  it('says Level 2 cannot run in 10 trials at the default cadence, and which flags would let it', () => {
    expect(levelReachWarnings({ ...defaults, trials: 10 })).toEqual([
      'Level 2 cannot run in this run: its first session would come after trial 10 (every 2 Level 1.5 cycles of 5 ' +
        'trials) or after 10 trials without a new best, and the run ends at trial 10. To let it run: --trials 11 or ' +
        'more, or --meta-every 1 (a session after trial 5).',
    ]);
    expect(levelReachWarnings({ ...defaults, trials: 11 })).toEqual([]);
    expect(levelReachWarnings({ ...defaults, levels: ['1', '1.5'], trials: 10 })).toEqual([]);
  });

  it('says Level 1.5 cannot run when its first cycle is past the end', () => {
    const [warning, ...rest] = levelReachWarnings({ ...defaults, levels: ['1', '1.5'], trials: 5 });
    expect(warning).toBe(
      'Level 1.5 cannot run in this run: its first cycle comes after trial 5, and the run ends at trial 5. ' +
        'To let it run: --trials 6 or more, or --outer-every 2 (a cycle after trial 2).',
    );
    expect(rest).toEqual([]);
  });

  it('says Level 2 may not run when only a plateau could call it', () => {
    const [warning] = levelReachWarnings({ ...defaults, levels: ['1', '2'], trials: 8, metaPlateau: 5 });
    expect(warning).toMatch(/^Level 2 may not run in this run: .* runs only if 5 trials in a row bring no new best/);
  });

  it('offers only fixes that work, over a grid of settings', () => {
    let checked = 0;
    for (const trials of [1, 2, 3, 4, 5, 7, 9, 10, 12, 19, 30]) {
      for (const outerEvery of [1, 3, 5, 8, 20]) {
        for (const metaEvery of [1, 2, 4]) {
          for (const metaPlateau of [3, 10, 40]) {
            const settings: ReachSettings = { levels: ['1', '1.5', '2'], trials, outerEvery, metaEvery, metaPlateau };
            for (const warning of levelReachWarnings(settings)) {
              const level = warning.startsWith('Level 1.5') ? 'Level 1.5' : 'Level 2';
              const fixes = fixesOf(warning);
              expect(fixes.length, warning).toBeGreaterThan(0);
              for (const fix of fixes) {
                const after = levelReachWarnings({ ...settings, ...fix });
                expect(
                  after.filter((line) => line.startsWith(`${level} `)),
                  `${warning} → ${JSON.stringify(fix)}`,
                ).toEqual([]);
                checked += 1;
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
