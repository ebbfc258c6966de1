import { expect, test } from 'vitest';
import { z } from 'zod';
import { paramsReplySchema } from '../inner/llm-proposal-reply.js';
import { isStrictJsonSchema } from './strict-json-schema.js';
import { toJsonSchema } from './structured.js';

test('closed objects with every property required are strict; an optional field or an open object is not', () => {
  expect(isStrictJsonSchema(toJsonSchema(paramsReplySchema))).toBe(true);
  expect(isStrictJsonSchema(toJsonSchema(z.strictObject({ a: z.string(), b: z.string().optional() })))).toBe(false);
  expect(isStrictJsonSchema(toJsonSchema(z.strictObject({ inner: z.array(z.looseObject({ x: z.number() })) })))).toBe(
    false,
  );
});
