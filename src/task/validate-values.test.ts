import { describe, expect, it } from 'vitest';
import type { ParamSpec } from './task-definition.js';
import { validateParamValues } from './validate-values.js';

const params: ParamSpec[] = [
  { name: 'DEPTH', type: 'number', min: 2, max: 32, integer: true, scale: 'linear' },
  { name: 'MATRIX_LR', type: 'number', min: 0.001, max: 0.4, integer: false, scale: 'log' },
  { name: 'WINDOW_PATTERN', type: 'choice', choices: ['SSSL', 'SSLL', 'L'] },
  { name: 'USE_FLAG', type: 'choice', choices: [true, false] },
];

describe('validateParamValues', () => {
  it('accepts valid values, including range ends', () => {
    expect(
      validateParamValues(params, { DEPTH: 32, MATRIX_LR: 0.001, WINDOW_PATTERN: 'L', USE_FLAG: false }, []),
    ).toEqual({
      ok: true,
      values: { DEPTH: 32, MATRIX_LR: 0.001, WINDOW_PATTERN: 'L', USE_FLAG: false },
    });
    expect(validateParamValues(params, {}, [])).toEqual({ ok: true, values: {} });
  });

  it('names an unknown param and lists the known ones', () => {
    expect(validateParamValues(params, { LR: 0.1 }, [])).toEqual({
      ok: false,
      reason: '"LR" is not a param (known params: DEPTH, MATRIX_LR, WINDOW_PATTERN, USE_FLAG).',
    });
  });

  it('refuses frozen params', () => {
    expect(validateParamValues(params, { DEPTH: 4 }, ['DEPTH'])).toEqual({
      ok: false,
      reason: 'DEPTH is frozen for now and must not be changed (frozen: DEPTH).',
    });
  });

  it('explains wrong types, ranges, non-integers and choices', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ DEPTH: '8' }, 'DEPTH must be a whole number in [2, 32], not the string "8".'],
      [{ DEPTH: 8.5 }, 'DEPTH must be a whole number in [2, 32], not 8.5.'],
      [{ DEPTH: 33 }, 'DEPTH must lie in [2, 32], not 33.'],
      [{ MATRIX_LR: Number.NaN }, 'MATRIX_LR must be a finite number in [0.001, 0.4], not NaN.'],
      [{ MATRIX_LR: null }, 'MATRIX_LR must be a number in [0.001, 0.4], not null.'],
      [{ WINDOW_PATTERN: 'SLSL' }, 'WINDOW_PATTERN must be one of "SSSL", "SSLL", "L", not the string "SLSL".'],
      [{ USE_FLAG: 'true' }, 'USE_FLAG must be one of true, false, not the string "true".'],
    ];
    for (const [values, reason] of cases)
      expect(validateParamValues(params, values, [])).toEqual({ ok: false, reason });
  });

  it('reports every problem at once', () => {
    const result = validateParamValues(params, { DEPTH: 1, MATRIX_LR: 1 }, []);
    expect(result).toEqual({
      ok: false,
      reason: 'DEPTH must lie in [2, 32], not 1; MATRIX_LR must lie in [0.001, 0.4], not 1.',
    });
  });
});
