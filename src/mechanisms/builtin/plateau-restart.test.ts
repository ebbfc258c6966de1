import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import type { PromptParts } from '../mechanism.js';
import type { RecordedTrace } from '../recorded-trace.js';
import { replayTrace } from '../replay.js';
import { plateauRestart } from './plateau-restart.js';

async function replay(trace: RecordedTrace, config = {}) {
  const report = await replayTrace(createInProcessRuntime(plateauRestart), trace, { config });
  const changed = report.events.filter((event) => event.kind === 'decision-changed');
  return { report, changed };
}

describe('plateau-restart', () => {
  it('after 8 trials without a new best, switches the prompt to wide exploration of the least-moved params', async () => {
    const { changed } = await replay(loadFixtureTrace('plateau'));
    // The last new best is trial 18; trials 19–26 bring nothing, so trials 27 and 28 restart.
    expect(changed.map((event) => [event.trialIndex, event.hook])).toEqual([
      [27, 'transformPrompt'],
      [28, 'transformPrompt'],
    ]);
    const parts = changed[0]?.after as PromptParts;
    expect(parts.focus).toEqual(['WEIGHT_DECAY', 'WARMUP_RATIO']);
    expect(parts.guidance[0]).toMatch(
      /^Plateau restart 1: no new best for 8 trials; branching from the best kept trial\./,
    );
  });

  it('declines before the patience runs out and on a trace that keeps improving', async () => {
    const { report } = await replay(loadFixtureTrace('plateau'));
    const early = report.decisions.filter(
      (decision) => decision.trialIndex < 27 && decision.hook === 'transformPrompt',
    );
    expect(early.every((decision) => (decision.result as PromptParts).guidance.length === 0)).toBe(true);
    expect((await replay(loadFixtureTrace('crash-streak'))).report.inert).toBe(true);
    const patient = await replay(loadFixtureTrace('plateau'), { patience: 12 });
    expect(patient.report.inert).toBe(true);
  });

  it('restarts from the best or from the last kept trial, as set', async () => {
    // Make trial 19 a keep that is worse than the best (as a judge override would): best = 18, last = 19.
    const base = loadFixtureTrace('plateau');
    const trials = base.trials.map((trial) =>
      trial.index === 19 ? { ...trial, status: 'keep' as const, reason: '' } : trial,
    );
    const trace = { ...base, trials };
    const fromBest = await replay(trace, { patience: 8 });
    const parentsBest = fromBest.report.decisions.filter((decision) => decision.hook === 'selectParent');
    expect(parentsBest.find((decision) => decision.trialIndex === 27)?.result).toBe(18);
    expect(fromBest.changed.some((event) => event.hook === 'selectParent')).toBe(false);
    const fromLast = await replay(trace, { from: 'last' });
    const event = fromLast.changed.find((item) => item.hook === 'selectParent');
    expect(event).toMatchObject({ trialIndex: 27, before: 18, after: 19 });
    const prompt = fromLast.changed.find((item) => item.hook === 'transformPrompt')?.after as PromptParts | undefined;
    expect(prompt?.guidance[0]).toMatch(/branching from the most recent kept trial/);
  });

  it('restarts again after another plateau (the patience counter restarts)', async () => {
    const { changed } = await replay(loadFixtureTrace('repeats'), { patience: 4, duration: 1 });
    expect(changed.map((event) => event.trialIndex)).toEqual([7, 11, 15, 19]);
  });
});
