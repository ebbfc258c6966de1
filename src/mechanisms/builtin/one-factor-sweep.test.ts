import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import type { PromptParts, ScreenDecision } from '../mechanism.js';
import { replayTrace } from '../replay.js';
import { oneFactorSweep } from './one-factor-sweep.js';

async function replay(scenario: 'repeats' | 'plateau' | 'crash-streak', config = {}) {
  const report = await replayTrace(createInProcessRuntime(oneFactorSweep), loadFixtureTrace(scenario), { config });
  const of = <T>(hook: string) =>
    new Map(report.decisions.filter((item) => item.hook === hook).map((item) => [item.trialIndex, item.result as T]));
  return { report, prompts: of<PromptParts>('transformPrompt'), screens: of<ScreenDecision>('screenProposal') };
}

describe('one-factor-sweep', () => {
  it('focuses on a never-moved param and rejects proposals that ignore all of them (repeats trace)', async () => {
    const { prompts, screens } = await replay('repeats');
    expect(prompts.get(1)?.focus).toEqual(['LEARNING_RATE']);
    // Trials 1–2 moved LEARNING_RATE and BATCH_SIZE; the next untried factor is DEPTH, and it stays untried.
    expect(prompts.get(3)?.focus).toEqual(['DEPTH']);
    expect(prompts.get(3)?.guidance[0]).toBe(
      'One-factor sweep: never moved in this run: DEPTH (now 4, range 1–12). Change only DEPTH this trial, to a value far from the current one.',
    );
    expect(screens.get(1)).toEqual({ accept: true });
    expect(screens.get(3)).toEqual({
      accept: false,
      reason:
        'one-factor sweep: DEPTH, WARMUP_RATIO, ACTIVATION, WEIGHT_DECAY have never been moved; change one of them instead of LEARNING_RATE',
      by: 'one-factor-sweep',
    });
    const rejected = [...screens.values()].filter((decision) => !decision.accept);
    expect(rejected).toHaveLength(18);
  });

  it('declines once every param has been moved (plateau trace from trial 7 on)', async () => {
    const { report, prompts } = await replay('plateau');
    expect(prompts.get(6)?.focus).toEqual(['WEIGHT_DECAY']);
    expect(prompts.get(7)).toEqual({ guidance: [], focus: [], avoid: [] });
    expect(report.events.every((event) => event.trialIndex <= 6)).toBe(true);
    expect(report.byHook.screenProposal.changed).toBe(0);
  });

  it('only steers, never rejects, with enforce off; offers `width` factors at once', async () => {
    const { screens, prompts } = await replay('repeats', { enforce: false, width: 3 });
    expect([...screens.values()].every((decision) => decision.accept)).toBe(true);
    expect(prompts.get(3)?.focus).toEqual(['DEPTH', 'WARMUP_RATIO', 'ACTIVATION']);
  });

  it('counts only trials that ran: a rejected proposal does not mark its param as tried', async () => {
    const { prompts } = await replay('crash-streak');
    // Trial 10 (BATCH_SIZE) was rejected; BATCH_SIZE had been moved by crashed trials already, so the
    // remaining untried factors after trial 9 (WARMUP_RATIO) are ACTIVATION and WEIGHT_DECAY.
    expect(prompts.get(10)?.focus).toEqual(['ACTIVATION']);
    expect(prompts.get(15)).toEqual({ guidance: [], focus: [], avoid: ['BATCH_SIZE'] });
  });
});
