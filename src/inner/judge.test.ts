import { describe, expect, it } from 'vitest';
import type { MechanismVerdict } from '../mechanisms/compose.js';
import type { OutcomeView } from '../mechanisms/mechanism.js';
import { defaultVerdict, type JudgeInput, judgeTrial } from './judge.js';

const incumbent = { index: 3, metric: 1.0 };

function input(overrides: Partial<JudgeInput> = {}): JudgeInput {
  return {
    metric: 0.9,
    incumbent,
    direction: 'minimize',
    noiseThreshold: 0,
    askMechanisms: async () => undefined,
    rerun: async () => ({ metric: 0.9 }),
    ...overrides,
  };
}

describe('defaultVerdict', () => {
  it('keeps only a strict improvement beyond the noise threshold, in either direction', () => {
    expect(defaultVerdict(0.9, incumbent, 'minimize', 0).verdict).toBe('keep');
    expect(defaultVerdict(1.0, incumbent, 'minimize', 0)).toEqual({
      verdict: 'discard',
      reason: 'not better than 1.000000 (trial 3)',
    });
    expect(defaultVerdict(0.95, incumbent, 'minimize', 0.1).verdict).toBe('discard');
    expect(defaultVerdict(0.85, incumbent, 'minimize', 0.1).verdict).toBe('keep');
    expect(defaultVerdict(1.1, incumbent, 'maximize', 0).verdict).toBe('keep');
    expect(defaultVerdict(0.9, incumbent, 'maximize', 0).verdict).toBe('discard');
  });

  it('keeps anything measured when there is no incumbent (the baseline failed)', () => {
    expect(defaultVerdict(5, null, 'minimize', 0).verdict).toBe('keep');
    expect(defaultVerdict(5, { index: 0, metric: null }, 'minimize', 0).verdict).toBe('keep');
  });
});

describe('judgeTrial', () => {
  it('is the default verdict when no mechanism answers', async () => {
    expect(await judgeTrial(input({ metric: 1.2 }))).toEqual({
      verdict: 'discard',
      reason: 'not better than 1.000000 (trial 3)',
      confirmations: [],
      metric: 1.2,
    });
  });

  it("takes a mechanism's override and names it", async () => {
    const askMechanisms = async (): Promise<MechanismVerdict> => ({ verdict: 'discard', reason: 'too risky', by: 'x' });
    expect(await judgeTrial(input({ askMechanisms }))).toMatchObject({ verdict: 'discard', reason: 'too risky (x)' });
  });

  it('re-runs on confirm and judges the mean, showing the mechanism the confirmations so far', async () => {
    const seen: OutcomeView[] = [];
    const askMechanisms = async (outcome: OutcomeView): Promise<MechanismVerdict | undefined> => {
      seen.push(outcome);
      return outcome.confirmations.length < 2 ? { verdict: 'confirm', reason: 'marginal', by: 'c' } : undefined;
    };
    const reruns = [1.2, 1.05];
    const judgement = await judgeTrial(
      input({ askMechanisms, rerun: async () => ({ metric: reruns.shift() as number }) }),
    );
    expect(seen.map((outcome) => outcome.confirmations)).toEqual([[], [1.2], [1.2, 1.05]]);
    expect(seen.map((outcome) => outcome.metric)).toEqual([0.9, 0.9, 0.9]);
    // mean(0.9, 1.2, 1.05) = 1.05: not better than 1.0 any more.
    expect(judgement.metric).toBeCloseTo(1.05, 12);
    expect(judgement).toMatchObject({ verdict: 'discard', confirmations: [1.2, 1.05] });
    expect(seen[1]?.verdict).toBe('discard');
  });

  it('stops confirming at the limit and lets the default verdict stand', async () => {
    let reruns = 0;
    const judgement = await judgeTrial(
      input({
        askMechanisms: async () => ({ verdict: 'confirm', reason: 'again', by: 'c' }),
        rerun: async () => {
          reruns += 1;
          return { metric: 0.9 };
        },
      }),
    );
    expect(reruns).toBe(3);
    expect(judgement).toMatchObject({ verdict: 'keep', reason: '', confirmations: [0.9, 0.9, 0.9] });
  });

  it('discards when a confirmation run measures nothing', async () => {
    const judgement = await judgeTrial(
      input({
        askMechanisms: async () => ({ verdict: 'confirm', reason: 'again', by: 'c' }),
        rerun: async () => ({ metric: null, reason: 'exit code 1: boom' }),
      }),
    );
    expect(judgement).toMatchObject({ verdict: 'discard', reason: 'confirmation run failed: exit code 1: boom' });
  });
});
