import { describe, expect, it } from 'vitest';
import { buildRandomSearchTrace, fixtureParams } from '../../test/fixtures/random-search-trace.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import { makeSyntheticTrace, syntheticTunables } from '../mechanisms/synthetic-trace.js';
import { diagnoseTrace } from './diagnose-trace.js';

const trial = (
  index: number,
  status: TrialRecordView['status'],
  metric: number | null,
  changed = {},
): TrialRecordView => ({
  index,
  status,
  metric,
  values: {},
  changed,
  summary: '',
  reason: '',
  parent: 0,
});

describe('diagnoseTrace', () => {
  it('names repetition and unmoved params on the synthetic "repeats" trace', () => {
    const trace = makeSyntheticTrace('repeats');
    const diagnosis = diagnoseTrace(trace.trials, {
      direction: 'minimize',
      params: syntheticTunables.map((tunable) => tunable.name),
    });
    expect(diagnosis.repetitionRate).toBeGreaterThanOrEqual(0.2);
    expect(diagnosis.symptoms[0]).toBe('repetition');
    expect(diagnosis.trials).toBe(trace.trials.length);
  });

  it('counts the plateau from the last new best, and crashes, keeps and marginal keeps', () => {
    const trials = [
      trial(0, 'keep', 1.0),
      trial(1, 'keep', 0.9, { A: [1, 2] }),
      trial(2, 'keep', 0.8999, { A: [2, 3] }),
      trial(3, 'keep', 0.8998, { B: [1, 2] }),
      ...Array.from({ length: 12 }, (_, offset) =>
        trial(4 + offset, offset % 2 ? 'crash' : 'discard', null, { C: [0, offset] }),
      ),
    ];
    const diagnosis = diagnoseTrace(trials, { direction: 'minimize', params: ['A', 'B', 'C', 'D'] });
    expect(diagnosis.plateauLength).toBe(12);
    expect(diagnosis.bestTrial).toBe(3);
    expect(diagnosis.keeps).toBe(3);
    expect(diagnosis.marginalKeeps).toBe(2);
    expect(diagnosis.neverMoved).toEqual(['D']);
    expect(diagnosis.crashRate).toBeCloseTo(6 / 15, 2);
    expect(diagnosis.symptoms).toEqual(['unmoved-params', 'plateau', 'marginal-keeps', 'uneven-payoffs', 'crashes']);
  });

  it('keeps the same size for 40 trials and for 2,000 (lists are capped)', () => {
    const params = Array.from({ length: 60 }, (_, index) => `P${index}`);
    const short = diagnoseTrace(buildRandomSearchTrace(1, 40), { direction: 'minimize', params });
    const long = diagnoseTrace(buildRandomSearchTrace(1, 2000), {
      direction: 'minimize',
      params: [...params, ...fixtureParams.map((param) => param.name)],
      activity: Array.from({ length: 50 }, (_, index) => ({
        name: `m${index}`,
        origin: 'generated' as const,
        status: 'active' as const,
        hookCalls: {
          selectParent: 0,
          transformPrompt: 0,
          propose: 0,
          screenProposal: 0,
          judgeOutcome: 0,
          shouldStop: 0,
          onTrialEnd: 0,
          onRunEnd: 0,
        },
        decisionsChanged: index,
        strikes: 0,
      })),
    });
    expect(long.trials).toBe(2001);
    expect(long.neverMoved.length).toBeLessThanOrEqual(20);
    expect(long.mechanisms).toHaveLength(20);
    expect(JSON.stringify(long).length).toBeLessThan(4000);
    expect(JSON.stringify(short).length).toBeLessThan(4000);
  });
});
