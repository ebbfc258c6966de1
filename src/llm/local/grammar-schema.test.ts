import { describe, expect, test } from 'vitest';
import { grammarSchema } from './grammar-schema.js';

describe('grammarSchema: what node-llama-cpp can enforce', () => {
  test('anyOf becomes oneOf at any depth; enums, consts and other keys are kept', () => {
    const schema = {
      type: 'object',
      properties: { values: { type: 'array', items: { anyOf: [{ enum: ['a'] }, { const: 2 }] } } },
      required: ['values'],
    };
    expect(grammarSchema(schema)).toEqual({
      type: 'object',
      properties: { values: { type: 'array', items: { oneOf: [{ enum: ['a'] }, { const: 2 }] } } },
      required: ['values'],
    });
  });

  test('a bounded integer becomes the enum of its values; a wide one a grid inside the range', () => {
    expect(grammarSchema({ type: 'integer', minimum: 2, maximum: 6 })).toEqual({ enum: [2, 3, 4, 5, 6] });
    const wide = (grammarSchema({ type: 'integer', minimum: 1, maximum: 100_000 }) as { enum: number[] }).enum;
    expect(wide.length).toBeLessThanOrEqual(64);
    expect(wide[0]).toBe(1);
    expect(wide.at(-1)).toBe(100_000);
    expect(wide.every((value) => Number.isInteger(value) && value >= 1 && value <= 100_000)).toBe(true);
  });

  test('a bounded number becomes a grid inside the range: log-spaced over decades, linear otherwise', () => {
    const log = (grammarSchema({ type: 'number', minimum: 0.004, maximum: 0.4 }) as { enum: number[] }).enum;
    expect(log).toHaveLength(25);
    expect(log[0]).toBe(0.004);
    expect(log[12]).toBeCloseTo(0.04, 3);
    expect(log.at(-1)).toBe(0.4);
    expect(log.every((value) => value >= 0.004 && value <= 0.4)).toBe(true);
    const linear = (grammarSchema({ type: 'number', minimum: 0.5, maximum: 0.99 }) as { enum: number[] }).enum;
    expect(linear[12]).toBeCloseTo(0.745, 3);
    expect(linear.every((value) => value >= 0.5 && value <= 0.99)).toBe(true);
    // Unbounded numbers are left to the grammar's plain number.
    expect(grammarSchema({ type: 'number', minimum: 0 })).toEqual({ type: 'number', minimum: 0 });
  });
});
