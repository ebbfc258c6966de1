import { describe, expect, it } from 'vitest';
import { buildMechanismContext, findIncumbent, historyLimit, keptLimit, trialSeed } from './build-context.js';
import type { TrialRecordView } from './mechanism.js';
import { syntheticTunables } from './synthetic-trace.js';

function trial(index: number, status: TrialRecordView['status'], metric: number | null): TrialRecordView {
  return { index, status, metric, values: { DEPTH: index }, changed: {}, summary: `t${index}`, reason: '', parent: 0 };
}

const source = (trials: TrialRecordView[], direction: 'minimize' | 'maximize' = 'minimize') => ({
  task: { name: 'synthetic', metric: { name: 'loss', direction }, mode: 'params' as const },
  tunables: syntheticTunables,
  settings: { frozen: [], strategy: 'balanced' as const, guidance: '' },
  trials,
});

describe('buildMechanismContext', () => {
  it('bounds history and kept, and keeps the incumbent among the possible parents', () => {
    const trials = [trial(0, 'keep', 1)];
    for (let index = 1; index < 300; index += 1) trials.push(trial(index, index % 2 ? 'keep' : 'discard', 2 + index));
    const context = buildMechanismContext(source(trials), 300, {}, 5);
    expect(context.history).toHaveLength(historyLimit);
    expect(context.history[0]?.index).toBe(100);
    expect(context.trialCount).toBe(300);
    expect(context.kept).toHaveLength(keptLimit);
    expect(context.incumbent?.index).toBe(0);
    expect(context.kept[0]?.index).toBe(0);
    expect(context.kept.at(-1)?.index).toBe(299);
  });

  it('finds the incumbent in the metric direction and ignores unmeasured trials', () => {
    const trials = [trial(0, 'keep', 1), trial(1, 'keep', 3), trial(2, 'discard', 9), trial(3, 'crash', null)];
    expect(findIncumbent(trials, 'minimize')?.index).toBe(0);
    expect(findIncumbent(trials, 'maximize')?.index).toBe(1);
    expect(findIncumbent([trial(0, 'crash', null)], 'minimize')).toBeNull();
  });

  it('gives each trial its own seed, the same on every build', () => {
    const trials = [trial(0, 'keep', 1)];
    const first = buildMechanismContext(source(trials), 1, { a: 1 }, 42);
    expect(buildMechanismContext(source(trials), 1, { a: 1 }, 42).seed).toBe(first.seed);
    expect(first.seed).toBe(trialSeed(42, 1));
    expect(trialSeed(42, 2)).not.toBe(first.seed);
    expect(trialSeed(43, 1)).not.toBe(first.seed);
    expect(first.config).toEqual({ a: 1 });
  });

  it('shows only the view fields of each trial', () => {
    const withExtra = { ...trial(0, 'keep', 1), proposal: null, outcome: null };
    const context = buildMechanismContext(source([withExtra]), 1, {}, 1);
    expect(context.history[0]).not.toHaveProperty('proposal');
    expect(context.incumbent).not.toHaveProperty('outcome');
  });
});
