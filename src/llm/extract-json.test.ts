import { describe, expect, test } from 'vitest';
import { extractJson } from './extract-json.js';

describe('extractJson', () => {
  test('a bare object, a fenced block, and an object amid prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Here:\n```json\n{"a": {"b": "}"}}\n```\nbye')).toEqual({ ok: true, value: { a: { b: '}' } } });
    expect(extractJson('I pick {x} then {"a": "with \\" quote {"} and more')).toEqual({
      ok: true,
      value: { a: 'with " quote {' },
    });
  });

  test('empty, absent, cut-off and invalid JSON give reasons', () => {
    expect(extractJson('  ')).toEqual({ ok: false, reason: 'the reply was empty' });
    expect(extractJson('no json here')).toEqual({ ok: false, reason: 'no JSON object found in the reply' });
    expect(extractJson('{"a": [1, 2')).toMatchObject({ ok: false, reason: expect.stringContaining('not closed') });
    expect(extractJson("{'a': 1}")).toMatchObject({ ok: false, reason: expect.stringContaining('invalid JSON') });
  });
});
