import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import type { PromptParts } from '../mechanism.js';
import type { RecordedTrace } from '../recorded-trace.js';
import { replayTrace } from '../replay.js';
import { bandit } from './bandit.js';

async function focusByTrial(trace: RecordedTrace): Promise<Map<number, readonly string[]>> {
  const report = await replayTrace(createInProcessRuntime(bandit), trace);
  return new Map(
    report.decisions
      .filter((decision) => decision.hook === 'transformPrompt')
      .map((decision) => [decision.trialIndex, (decision.result as PromptParts).focus]),
  );
}

describe('bandit', () => {
  it('steers away from the two params the repeats trace keeps moving, towards untried arms', async () => {
    const focus = await focusByTrial(loadFixtureTrace('repeats'));
    expect(focus.size).toBe(20);
    for (const [trial, names] of focus) {
      expect(names, `trial ${trial}`).toHaveLength(1);
      if (trial >= 3) expect(['LEARNING_RATE', 'BATCH_SIZE']).not.toContain(names[0]);
    }
  });

  it('exploits the arms with the best rewards once every arm was pulled (plateau trial 7)', async () => {
    const trace = loadFixtureTrace('plateau');
    const report = await replayTrace(createInProcessRuntime(bandit), trace);
    const seventh = report.decisions.find(
      (decision) => decision.trialIndex === 7 && decision.hook === 'transformPrompt',
    );
    const parts = seventh?.result as PromptParts;
    // Each arm was moved once by trials 1–6; WARMUP_RATIO improved least (0.16 %), the others ~1 %.
    expect(['LEARNING_RATE', 'BATCH_SIZE', 'WEIGHT_DECAY']).toContain(parts.focus[0]);
    expect(parts.guidance[0]).toMatch(
      /^Bandit \(UCB1\): change [A-Z_]+ this trial \(mean reward 1\.00 over 1 moves\)\.$/,
    );
    expect(report.decisionsChanged).toBe(30);
  });

  it('never picks a frozen param (crash-streak freezes BATCH_SIZE from trial 9)', async () => {
    const focus = await focusByTrial(loadFixtureTrace('crash-streak'));
    for (const [trial, names] of focus) if (trial >= 9) expect(names).not.toContain('BATCH_SIZE');
  });

  it('declines when fewer than two params may be moved', async () => {
    const trace = loadFixtureTrace('repeats');
    const allButDepth = trace.tunables.map((tunable) => tunable.name).filter((name) => name !== 'DEPTH');
    const settings = { ...trace.settings, frozen: allButDepth };
    const frozen = { ...trace, settings, trials: trace.trials.map((trial) => ({ ...trial, settings })) };
    const report = await replayTrace(createInProcessRuntime(bandit), frozen);
    expect(report.inert).toBe(true);
    expect(report.hookCalls.transformPrompt).toBe(20);
  });
});
