import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { runConformance } from '../conformance.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import type { ProposeAnswer, TrialRecordView } from '../mechanism.js';
import { replayTrace } from '../replay.js';
import { latinHypercube } from './latin-hypercube.js';

async function replay(config = {}) {
  const report = await replayTrace(createInProcessRuntime(latinHypercube), loadFixtureTrace('repeats'), { config });
  const proposals = new Map(
    report.decisions
      .filter((item) => item.hook === 'propose')
      .map((item) => [item.trialIndex, item.result as (ProposeAnswer & { by: string }) | null]),
  );
  return { report, proposals };
}

describe('latin-hypercube', () => {
  it('passes the conformance suite', async () => {
    const report = await runConformance(createInProcessRuntime(latinHypercube));
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(report.replay.inert).toBe(false);
  });

  it('proposes a Latin hypercube over the params nothing moved: one point per stratum of every param', async () => {
    // On the recorded trace the first trial is proposed before any param moved: the design covers all six.
    const runtime = createInProcessRuntime(latinHypercube);
    const trace = loadFixtureTrace('repeats');
    await runtime.init(trace.seed, { points: 6 });
    const baseline = trace.trials[0] as TrialRecordView;
    const context = {
      trialIndex: 1,
      task: trace.task,
      tunables: trace.tunables,
      settings: trace.settings,
      history: [baseline],
      trialCount: 1,
      incumbent: baseline,
      kept: [baseline],
      seed: 1,
      config: { points: 6 },
    };
    const points: Record<string, unknown>[] = [];
    let state: unknown;
    for (let point = 0; point < 6; point++) {
      const answer = (await runtime.call('propose', [
        context,
        { parent: 0, current: baseline.values, prompt: { guidance: [], focus: [], avoid: [] } },
      ])) as ProposeAnswer;
      expect(answer.summary).toBe(`latin hypercube point ${point + 1}/6 over 6 unexplored params`);
      const values = { ...baseline.values, ...answer.values };
      points.push(values);
      // The point ran: the mechanism sees it and moves on to the next.
      const trial = { ...baseline, index: point + 1, status: 'discard' as const, values, changed: {} };
      await runtime.call('onTrialEnd', [context, trial]);
      state = (runtime as { snapshot(): unknown }).snapshot();
    }
    expect(state).toMatchObject({ run: [0, 1, 2, 3, 4, 5], done: true });
    // DEPTH is an integer in [1, 12]: six equal strata of two values each, one point in each.
    const depthStrata = points.map((values) => Math.floor(((values.DEPTH as number) - 1) / 2)).sort();
    expect(depthStrata).toEqual([0, 1, 2, 3, 4, 5]);
    // LEARNING_RATE is log scale over [1e-5, 0.1]: one point per sixth of the log range.
    const logStrata = points
      .map((values) => Math.floor(((Math.log10(values.LEARNING_RATE as number) + 5) / 4) * 6))
      .sort();
    expect(logStrata).toEqual([0, 1, 2, 3, 4, 5]);
    // ACTIVATION has three choices: each appears twice in six points.
    const activations = points.map((values) => values.ACTIVATION).sort();
    expect(activations).toEqual(['gelu', 'gelu', 'relu', 'relu', 'silu', 'silu']);
    expect(
      await runtime.call('propose', [
        context,
        { parent: 0, current: baseline.values, prompt: { guidance: [], focus: [], avoid: [] } },
      ]),
    ).toBeUndefined();
  });

  it('changes decisions on a recorded trace, and narrows to the params others have not moved', async () => {
    const { report, proposals } = await replay();
    expect(report.byHook.propose.changed).toBeGreaterThan(0);
    // Before trial 1 nothing had moved: all six tunables.
    expect(proposals.get(1)?.summary).toMatch(/over 6 unexplored params$/);
    // The trace's own trials moved LEARNING_RATE and BATCH_SIZE: later designs leave them out.
    const later = [...proposals.entries()].filter(([index, answer]) => index >= 3 && answer !== null);
    expect(later.length).toBeGreaterThan(0);
    for (const [, answer] of later) {
      expect(Object.keys(answer?.values ?? {})).not.toContain('LEARNING_RATE');
      expect(Object.keys(answer?.values ?? {})).not.toContain('BATCH_SIZE');
    }
  });

  it('leaves frozen and avoided params alone', async () => {
    const runtime = createInProcessRuntime(latinHypercube);
    const trace = loadFixtureTrace('repeats');
    await runtime.init(trace.seed, { points: 8 });
    const baseline = trace.trials[0] as TrialRecordView;
    const context = {
      trialIndex: 1,
      task: trace.task,
      tunables: trace.tunables,
      settings: { ...trace.settings, frozen: ['DEPTH'] },
      history: [baseline],
      trialCount: 1,
      incumbent: baseline,
      kept: [baseline],
      seed: 1,
      config: { points: 8 },
    };
    const answer = (await runtime.call('propose', [
      context,
      { parent: 0, current: baseline.values, prompt: { guidance: [], focus: [], avoid: ['ACTIVATION'] } },
    ])) as ProposeAnswer;
    expect(Object.keys(answer.values)).not.toContain('DEPTH');
    expect(Object.keys(answer.values)).not.toContain('ACTIVATION');
    expect(answer.summary).toMatch(/over 5 unexplored params$/);
  });
});
