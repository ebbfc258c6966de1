import { describe, expect, test } from 'vitest';
import { syntheticCurrent, syntheticParams } from '../../test/fixtures/llm-proposer-fixtures.js';
import { paramsProposalFrom } from './llm-proposal-reply.js';

const propose = (name: string, value: number | string | boolean) =>
  paramsProposalFrom({ summary: 's', rationale: '', values: [{ name, value }] }, syntheticParams, syntheticCurrent, []);

describe('paramsProposalFrom: a number param written as a string', () => {
  test.each([
    ['6', 6],
    ['0.02', 0.02],
    ['0', 0],
  ])('the plain decimal literal %j is read as %d', (text, number) => {
    const name = Number.isInteger(number) && number > 0 ? 'N_LAYER' : 'WEIGHT_DECAY';
    expect(propose(name, text)).toMatchObject({ ok: true, proposal: { values: { [name]: number } } });
  });

  test.each(['0x1', '-1e-999', '1e1', '1_0', ' 2', '2 ', '+3', 'Infinity', 'NaN', '', '.5', '5.', '0b11', '1,5'])(
    'the string %j is not coerced: rejected with the string named',
    (text) => {
      const result = propose('N_LAYER', text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(`the string ${JSON.stringify(text)}`);
    },
  );
});
