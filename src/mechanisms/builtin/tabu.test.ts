import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from '../__fixtures__/load-trace.js';
import { createInProcessRuntime } from '../in-process-runtime.js';
import { contextFor, replayTrace } from '../replay.js';
import { tabu } from './tabu.js';

/** Trial index → the screen's reason, for every proposal tabu rejected in the replay. */
async function rejections(scenario: 'repeats' | 'plateau' | 'crash-streak', config = {}) {
  const report = await replayTrace(createInProcessRuntime(tabu), loadFixtureTrace(scenario), { config });
  return new Map(
    report.decisions
      .filter((decision) => decision.hook === 'screenProposal')
      .filter((decision) => (decision.result as { accept: boolean }).accept === false)
      .map((decision) => [decision.trialIndex, (decision.result as { reason: string }).reason]),
  );
}

describe('tabu', () => {
  it('rejects repeats of recently tried values on the repeats trace', async () => {
    const rejected = await rejections('repeats');
    // Trial 4 moves LEARNING_RATE to 0.001 exactly as trial 3 did.
    expect(rejected.get(4)).toBe(
      'tabu: LEARNING_RATE=0.001 (trial 3 tried 0.001, discard) repeats a move from the last 10 trials; move to a clearly different value or change another param',
    );
    // 0.00102 is within 5% (log scale) of 0.001; BATCH_SIZE 128 again in trial 7.
    expect(rejected.get(6)).toMatch(/LEARNING_RATE=0.00102 \(trial 4 tried 0.001/);
    expect(rejected.get(7)).toMatch(/BATCH_SIZE=128 \(trial 5 tried 128/);
    // Both changed params repeat earlier moves.
    expect(rejected.get(15)).toMatch(/LEARNING_RATE=0.005 .*; BATCH_SIZE=128/);
    expect([...rejected.keys()]).toEqual([4, 6, 7, 9, 11, 12, 15, 17, 18]);
  });

  it('declines fresh values, proposals with one fresh param, and repeats older than the tenure', async () => {
    const rejected = await rejections('repeats');
    expect(rejected.has(13)).toBe(false); // 0.0021: not within 5% of any tried value
    expect(rejected.has(14)).toBe(false); // both values new
    expect(rejected.has(16)).toBe(false); // LEARNING_RATE repeats, BATCH_SIZE 40 is new
    const shortMemory = await rejections('repeats', { tenure: 1 });
    expect([...shortMemory.keys()]).toEqual([4]);
    const crashes = await replayTrace(createInProcessRuntime(tabu), loadFixtureTrace('crash-streak'));
    expect(crashes.inert).toBe(true);
    expect(crashes.hookCalls.screenProposal).toBe(15);
  });

  it('measures closeness on the range for linear params and honours the tolerance', async () => {
    // Plateau trial 12 moves WARMUP_RATIO to 0.104; trial 4 tried 0.1 (within 5% of the 0–0.5 range).
    expect((await rejections('plateau')).get(12)).toMatch(/WARMUP_RATIO=0.104 \(trial 4 tried 0.1, keep\)/);
    expect((await rejections('plateau', { tolerance: 0.001 })).has(12)).toBe(false);
  });

  it('treats a move running now as tried: rejects the same move proposed while it is in flight (several workers)', async () => {
    const trace = loadFixtureTrace('repeats');
    const runtime = createInProcessRuntime(tabu);
    await runtime.init(trace.seed, { tenure: 10, tolerance: 0.05 });
    const quiet = { ...contextFor(trace, 1, 1), config: { tenure: 10, tolerance: 0.05 } };
    const moved = trace.trials[3]?.changed ?? {};
    const proposal = { kind: 'params', values: {}, changed: moved, summary: 'again', files: [] };
    expect(await runtime.call('screenProposal', [quiet, proposal])).toBeUndefined();
    const busy = { ...quiet, pending: [{ index: 2, values: {}, changed: moved, summary: 'running', parent: 0 }] };
    const answer = (await runtime.call('screenProposal', [busy, proposal])) as { accept: boolean; reason: string };
    expect(answer.accept).toBe(false);
    expect(answer.reason).toMatch(/\(trial 2, running now, tries .*\) repeats a move .* or one running now/);
  });
});
