import { describe, expect, it } from 'vitest';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { WindowStats } from '../records/probation-evidence.js';
import { judgeProbation, windowStats } from './probation.js';

const stats = (keeps: number, failures = 0, trials = 10): WindowStats => ({
  from: 1,
  to: trials,
  trials,
  keeps,
  failures,
  gain: 0,
});

describe('judgeProbation', () => {
  it('keeps a mechanism that changed decisions and did not make the window clearly worse', () => {
    expect(judgeProbation({ window: stats(1), previous: stats(2), decisionsChanged: 4, strikes: 1 }).verdict).toBe(
      'kept',
    );
  });

  it('retires for repeated failures, for changing nothing, and for a clearly worse window', () => {
    const failing = judgeProbation({ window: stats(3), previous: stats(0), decisionsChanged: 5, strikes: 2 });
    expect(failing).toMatchObject({ verdict: 'retired' });
    expect(failing.reason).toMatch(/^failing/);
    const inert = judgeProbation({ window: stats(3), previous: stats(0), decisionsChanged: 0, strikes: 0 });
    expect(inert.reason).toMatch(/^inert in practice/);
    const noKeeps = judgeProbation({ window: stats(0), previous: stats(2), decisionsChanged: 3, strikes: 0 });
    expect(noKeeps.reason).toMatch(/^worse: kept 0/);
    const crashing = judgeProbation({ window: stats(1, 5), previous: stats(1, 1), decisionsChanged: 3, strikes: 0 });
    expect(crashing.reason).toMatch(/^worse: failure rate 50%/);
  });
});

describe('windowStats', () => {
  const trial = (index: number, status: TrialRecordView['status'], metric: number | null): TrialRecordView => ({
    index,
    status,
    metric,
    values: {},
    changed: {},
    summary: '',
    reason: '',
    parent: 0,
  });
  const trials = [
    trial(0, 'keep', 1),
    trial(1, 'keep', 0.9),
    trial(2, 'discard', 0.95),
    trial(3, 'crash', null),
    trial(4, 'keep', 0.8),
    trial(5, 'rejected', null),
  ];

  it('counts keeps and failures in the window and the gain over the best before it', () => {
    const stats = windowStats(trials, 2, 5, 'minimize');
    expect(stats).toMatchObject({ from: 2, to: 5, trials: 4, keeps: 1, failures: 2 });
    expect(stats.gain).toBeCloseTo(0.1, 10);
    expect(windowStats(trials, 2, 3, 'minimize').gain).toBe(0);
  });
});
