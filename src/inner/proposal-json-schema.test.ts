import { describe, expect, test } from 'vitest';
import { isStrictJsonSchema } from '../llm/strict-json-schema.js';
import { toJsonSchema } from '../llm/structured.js';
import { loadTask } from '../task/load-task.js';
import { paramsReplySchema } from './llm-proposal-reply.js';
import { paramsProposalJsonSchema } from './proposal-json-schema.js';

type Branch = { properties: { name: { enum: string[] }; value: Record<string, unknown> } };

describe('paramsProposalJsonSchema (the synthetic task)', () => {
  test('one branch per unfrozen param: its name a one-value enum, its value typed with its range or choices', async () => {
    const task = await loadTask('synthetic');
    const schema = paramsProposalJsonSchema(task.params, ['WEIGHT_DECAY']) as {
      properties: { values: { items: { anyOf: Branch[] }; minItems: number; maxItems: number } };
    };
    const branches = schema.properties.values.items.anyOf;
    const byName = Object.fromEntries(
      branches.map((branch) => [branch.properties.name.enum[0], branch.properties.value]),
    );
    expect(branches.every((branch) => branch.properties.name.enum.length === 1)).toBe(true);
    expect(Object.keys(byName)).toEqual(
      task.params.map((param) => param.name).filter((name) => name !== 'WEIGHT_DECAY'),
    );
    expect(byName.DEPTH).toEqual({ type: 'integer', minimum: 2, maximum: 24 });
    expect(byName.MATRIX_LR).toEqual({ type: 'number', minimum: 0.004, maximum: 0.4 });
    expect(byName.TOTAL_BATCH_SIZE).toEqual({
      type: 'number',
      enum: [16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152],
    });
    expect(byName.WINDOW_PATTERN).toMatchObject({
      type: 'string',
      enum: ['SSSL', 'SSLL', 'SLLL', 'LLLL', 'SSSS', 'SL', 'L'],
    });
    expect(schema.properties.values).toMatchObject({ minItems: 1, maxItems: 13 });
    // Closed objects with every property required: OpenAI's strict mode takes it as it is.
    expect(isStrictJsonSchema(schema)).toBe(true);
  });

  test('mixed-type choices list their types; with every param frozen the shape-only schema is sent', () => {
    const params = [{ name: 'MODE', type: 'choice' as const, choices: ['auto', 1, true] }];
    const schema = paramsProposalJsonSchema(params, []) as { properties: { values: { items: Branch } } };
    expect(schema.properties.values.items.properties.value).toEqual({
      type: ['string', 'number', 'boolean'],
      enum: ['auto', 1, true],
    });
    expect(paramsProposalJsonSchema(params, ['MODE'])).toEqual(toJsonSchema(paramsReplySchema));
  });
});
