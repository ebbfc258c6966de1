import { describe, expect, it } from 'vitest';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ParamSpec } from '../task/task-definition.js';
import { buildParamTable, renderParamTable } from './param-table.js';

const params: ParamSpec[] = [
  { name: 'LR', type: 'number', min: 0.001, max: 0.1, integer: false, scale: 'log' },
  { name: 'BATCH', type: 'number', min: 8, max: 512, integer: true, scale: 'log' },
  { name: 'ACT', type: 'choice', choices: ['relu', 'gelu'] },
];

function trial(partial: Partial<TrialRecordView> & Pick<TrialRecordView, 'index' | 'status'>): TrialRecordView {
  return { metric: null, values: {}, changed: {}, summary: '', reason: '', parent: 0, ...partial };
}

// Lower is better; trial 2 is kept and becomes the parent of 3–5.
const history: TrialRecordView[] = [
  trial({ index: 0, status: 'keep', metric: 1.0 }),
  trial({ index: 1, status: 'discard', metric: 1.1, changed: { LR: [0.01, 0.05] } }),
  trial({ index: 2, status: 'keep', metric: 0.9, changed: { BATCH: [256, 64] } }),
  trial({ index: 3, status: 'crash', metric: null, changed: { LR: [0.01, 0.09], BATCH: [64, 512] }, parent: 2 }),
  trial({ index: 4, status: 'discard', metric: 0.95, changed: { LR: [0.01, 0.05] }, parent: 2 }),
  trial({ index: 5, status: 'rejected', metric: null, changed: { ACT: ['relu', 'gelu'] }, parent: 2 }),
  trial({ index: 6, status: 'keep', metric: 0.85, changed: { BATCH: [64, 32], ACT: ['relu', 'relu'] }, parent: 2 }),
];

describe('buildParamTable', () => {
  it('counts moves, keeps, crashes, distinct values and directions per param', () => {
    const [lr, batch, act] = buildParamTable(params, history, 'minimize');
    expect(lr).toEqual({
      name: 'LR',
      moved: 3,
      kept: 0,
      bestGain: expect.closeTo(-0.05, 9),
      lastMoved: 4,
      lastKept: null,
      distinctValues: 2,
      crashes: 1,
      keptUp: 0,
      keptDown: 0,
    });
    expect(batch).toMatchObject({
      moved: 3,
      kept: 2,
      lastKept: 6,
      keptDown: 2,
      keptUp: 0,
      crashes: 1,
      distinctValues: 3,
    });
    expect(batch?.bestGain).toBeCloseTo(0.1, 9);
    // The rejected trial never ran and the no-op change is not a move.
    expect(act).toMatchObject({ moved: 0, kept: 0, bestGain: null, lastMoved: null, distinctValues: 0 });
  });

  it('signs gains by direction', () => {
    const [lr] = buildParamTable(params, history, 'maximize');
    expect(lr?.bestGain).toBeCloseTo(0.1, 9);
  });

  it('counts only trials after `after`', () => {
    const [lr, batch] = buildParamTable(params, history, 'minimize', { after: 3 });
    expect(lr?.moved).toBe(1);
    expect(batch).toMatchObject({ moved: 1, kept: 1 });
  });
});

describe('renderParamTable', () => {
  it('renders one Markdown row per param with the frozen mark', () => {
    const text = renderParamTable(buildParamTable(params, history, 'minimize'), { frozen: ['LR'] });
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('| LR | 3 | 0 | -0.05 | 0/0 | 2 | 1 | 4 | yes |');
    expect(lines[3]).toBe('| BATCH | 3 | 2 | +0.1 | 0/2 | 3 | 1 | 6 | no |');
  });

  it('stays bounded for a task with many params, most-moved first', () => {
    const many: ParamSpec[] = Array.from({ length: 200 }, (_, position) => ({
      name: `P${position}_${'X'.repeat(80)}`,
      type: 'choice' as const,
      choices: [0, 1],
    }));
    const moves = [trial({ index: 0, status: 'keep', metric: 1 })];
    moves.push(trial({ index: 1, status: 'discard', metric: 1.2, changed: { [many[150]?.name ?? '']: [0, 1] } }));
    const text = renderParamTable(buildParamTable(many, moves, 'minimize'), { maxRows: 10 });
    expect(text.split('\n')).toHaveLength(13);
    expect(text).toContain('(190 more params not shown)');
    expect(text.split('\n')[2]).toMatch(/^\| P150_X+ \| 1 \|/);
    expect(text.length).toBeLessThan(2000);
  });
});
