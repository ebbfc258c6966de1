import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import type { JudgeDecision, OutcomeView, Value } from '../mechanism.js';
import { contextFor, replayTrace } from '../replay.js';
import { resolveMechanismConfig } from '../resolve-config.js';
import { confirmMarginal } from './confirm-marginal.js';

/** Asks the hook directly about `outcome` at trial `index` of a fixture trace. */
function judge(
  scenario: 'repeats' | 'plateau',
  index: number,
  outcome: Partial<OutcomeView>,
  overrides: Record<string, Value> = {},
): JudgeDecision | undefined {
  const config = resolveMechanismConfig(confirmMarginal.name, confirmMarginal.params ?? {}, overrides);
  const trace = loadFixtureTrace(scenario);
  const recorded = trace.trials[index]?.outcome;
  if (!recorded) throw new Error(`fixture trial ${index} has no outcome`);
  return confirmMarginal.judgeOutcome?.(contextFor(trace, index, index, config), { ...recorded, ...outcome }, {});
}

describe('confirm-marginal', () => {
  it('asks for a confirmation of the marginal wins on the plateau trace, and only those', async () => {
    const report = await replayTrace(createInProcessRuntime(confirmMarginal), loadFixtureTrace('plateau'));
    const changed = report.events.filter((event) => event.kind === 'decision-changed');
    // Trials 12 and 18 beat the incumbent by 0.0006 and 0.0004; the noise floor is ~0.001.
    expect(changed.map((event) => [event.trialIndex, event.before, event.after])).toEqual([
      [12, 'keep', 'confirm'],
      [18, 'keep', 'confirm'],
    ]);
    expect(judge('plateau', 12, {})?.reason).toBe(
      'improvement 0.0006 is below 2 × noise 0.0009992; re-running to confirm',
    );
  });

  it('keeps a confirmed win only when the mean of all runs still beats the incumbent', () => {
    // Trial 12 measured 1.997712 against an incumbent of 1.998312.
    expect(judge('plateau', 12, { confirmations: [1.9972] })).toEqual({
      verdict: 'keep',
      reason: 'mean of 2 runs 1.997 still beats the incumbent 1.998',
    });
    expect(judge('plateau', 12, { confirmations: [2.0004] })?.verdict).toBe('discard');
    expect(judge('plateau', 12, { confirmations: [1.9972] }, { confirmations: 2 })).toEqual({
      verdict: 'confirm',
      reason: 'confirmation 1 of 2 done',
    });
  });

  it('declines clear wins, discards and failed runs', async () => {
    expect(judge('plateau', 1, {})).toBeUndefined();
    expect(judge('plateau', 4, {})).toBeUndefined(); // 0.0032 > 2 × 0.001
    expect(judge('plateau', 7, {})).toBeUndefined(); // a discard
    expect(judge('plateau', 12, { status: 'crash', metric: null })).toBeUndefined();
    const crashes = await replayTrace(createInProcessRuntime(confirmMarginal), loadFixtureTrace('crash-streak'));
    expect(crashes.inert).toBe(true);
  });

  it('estimates noise from trials run with identical values, or uses the declared noise level', () => {
    // Without a floor: the plateau trace has no repeated configurations, so no win is marginal…
    expect(judge('plateau', 12, {}, { noiseFloor: 0 })).toBeUndefined();
    // …while the repeats trace ran LEARNING_RATE 0.001 four times and BATCH_SIZE 128 four times.
    const noisy = judge('repeats', 20, { verdict: 'keep', metric: 2.061 }, { noiseFloor: 0 });
    expect(noisy?.verdict).toBe('confirm');
    expect(noisy?.reason).toMatch(/below 2 × noise 0\.000[6-9]\d*/);
    expect(judge('plateau', 1, {}, { noise: 0.02 })?.verdict).toBe('confirm');
  });
});
