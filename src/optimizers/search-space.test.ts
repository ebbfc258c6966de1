import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../task/task-definition.js';
import { fitsDistribution, optunaSpace } from './search-space.js';

describe('the task params as Optuna distributions', () => {
  it('keeps log scale where Optuna allows it, integers as ints, choices as categoricals', () => {
    const space = optunaSpace([
      { name: 'LR', type: 'number', min: 0.001, max: 1, integer: false, scale: 'log' },
      { name: 'WD', type: 'number', min: 0, max: 1, integer: false, scale: 'log' },
      { name: 'BATCH', type: 'number', min: 8, max: 512, integer: true, scale: 'log' },
      { name: 'SHIFT', type: 'number', min: 0, max: 9, integer: true, scale: 'log' },
      { name: 'ACT', type: 'choice', choices: ['relu', 'gelu', 2, true] },
    ] as ParamSpec[]);
    expect(space).toEqual({
      LR: { type: 'float', low: 0.001, high: 1, log: true },
      WD: { type: 'float', low: 0, high: 1, log: false },
      BATCH: { type: 'int', low: 8, high: 512, log: true },
      SHIFT: { type: 'int', low: 0, high: 9, log: false },
      ACT: { type: 'categorical', choices: ['relu', 'gelu', 2, true] },
    });
    expect(fitsDistribution({ type: 'int', low: 1, high: 4, log: false }, 2.5)).toBe(false);
    expect(fitsDistribution({ type: 'float', low: 0, high: 1, log: false }, 1)).toBe(true);
    expect(fitsDistribution({ type: 'categorical', choices: [1, 'a'] }, '1')).toBe(false);
  });
});
