import { describe, expect, it } from 'vitest';
import { fullTableLimit, type ReportTrial, renderTrialsSection } from './trials-section.js';

const trials: ReportTrial[] = [
  { index: 0, status: 'keep', metric: 1.1, changed: {}, summary: 'baseline', reason: '', commit: 'c0ffee0123456789' },
  {
    index: 1,
    status: 'discard',
    metric: 1.12,
    changed: { LR: [0.04, 0.08] },
    summary: 'LR 0.04 -> 0.08',
    reason: 'not better than 1.1 (trial 0)',
    commit: 'd15ca4d0000000000',
  },
  {
    index: 2,
    status: 'keep',
    metric: 1.09,
    changed: { PATTERN: ['SSSL', 'L'], DEPTH: [8, 4] },
    summary: 'shorter | windows',
    reason: '',
  },
  { index: 3, status: 'crash', metric: null, changed: { DEPTH: [4, 2] }, summary: 'shallower', reason: 'exit 1' },
];

function rows(text: string): string[] {
  return text.split('\n').filter((line) => /^\| \d/.test(line));
}

describe('renderTrialsSection', () => {
  const text = renderTrialsSection(trials, { direction: 'minimize', runId: 'r', workDir: '/state/runs/r/work' });

  it('has one row per trial with status, metric, Δ vs the incumbent before it, changes, reasons and commit', () => {
    expect(text).toContain('Δ vs incumbent (negative is better)');
    expect(rows(text)).toEqual([
      '| 0 | **keep** | 1.100000 | — | — | baseline | `c0ffee0` |',
      '| 1 | discard | 1.120000 | +0.020000 | LR 0.04 → 0.08 | not better than 1.1 (trial 0) | `d15ca4d` |',
      '| 2 | **keep** | 1.090000 | -0.010000 | PATTERN "SSSL" → "L"; DEPTH 8 → 4 | shorter \\| windows | — |',
      '| 3 | crash | — | — | DEPTH 4 → 2 | shallower — exit 1 | — |',
    ]);
    expect(text).toContain('`git -C /state/runs/r/work show COMMIT` shows what a trial changed');
  });

  it('lists only the baseline, kept, crashed and timed-out trials of a long run and counts the rest', () => {
    const long: ReportTrial[] = Array.from({ length: fullTableLimit + 20 }, (_, index) => ({
      index,
      status: index === 0 || index % 10 === 0 ? 'keep' : index % 7 === 0 ? 'rejected' : 'discard',
      metric: 2 - index * 0.001,
      changed: {},
      summary: `t${index}`,
      reason: '',
    }));
    const shortened = renderTrialsSection(long, { direction: 'minimize', runId: 'r' });
    const kept = long.filter((trial) => trial.status === 'keep').length;
    const rejected = long.filter((trial) => trial.status === 'rejected').length;
    expect(rows(shortened)).toHaveLength(kept);
    expect(shortened).toContain(
      `${long.length - kept - rejected} discarded and ${rejected} rejected trials are left out`,
    );
  });

  it('says so when there are no trials', () => {
    expect(renderTrialsSection([], { direction: 'maximize', runId: 'r' })).toContain('No trial recorded yet.');
  });
});
