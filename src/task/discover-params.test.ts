import { describe, expect, it } from 'vitest';
import { discoverConstants, inferParamSpec } from './discover-params.js';

const typeScriptSource = `// header
import { run } from './objective.js';

export const DEPTH = 8; // layers
const MATRIX_LR: number = 0.04;
const TOTAL_BATCH_SIZE = 2 ** 19;
const WINDOW_PATTERN = "SSSL";
let USE_FLAG = true
const NEGATIVE = -3;
const lowercase = 1;
const EXPRESSION = DEPTH * 2;
const NOT_CLOSED = 1 + ;
/*
const IN_COMMENT = 1;
*/
const TEMPLATE = \`
const IN_TEMPLATE = 2;
\`;
function body() {
const IN_FUNCTION = 3;
}
const A = 1, B = 2;
const LAST = 'x'; /* trailing */
`;

const pythonSource = `"""Docstring.
DOC = 1
"""
import os
DEPTH = 8               # number of layers
HEAD_DIM: int = 128
WINDOW_PATTERN = "SSSL"
TOTAL_BATCH_SIZE = 2**19
EMBEDDING_LR = 0.6
USE_X = True
COMPARE == 3
CONFIG = dict(
X = 1,
)
CONTINUED = 1 + \\
Y = 2
  INDENTED = 4
FSTRING = f"{DEPTH}"
`;

describe('discoverConstants', () => {
  it('finds top-level TypeScript literal constants with their spans', () => {
    const found = discoverConstants(typeScriptSource, 'ts');
    expect(found.map((constant) => [constant.name, constant.value])).toEqual([
      ['DEPTH', 8],
      ['MATRIX_LR', 0.04],
      ['TOTAL_BATCH_SIZE', 524288],
      ['WINDOW_PATTERN', 'SSSL'],
      ['USE_FLAG', true],
      ['NEGATIVE', -3],
      ['LAST', 'x'],
    ]);
    for (const constant of found) {
      expect(typeScriptSource.slice(constant.start, constant.end)).toMatch(
        /^(?:8|0\.04|2 \*\* 19|"SSSL"|true|-3|'x')$/,
      );
    }
    expect(found[0]!.line).toBe(4);
  });

  it('finds top-level Python literal constants and skips docstrings, brackets and continuations', () => {
    const found = discoverConstants(pythonSource, 'py');
    expect(found.map((constant) => [constant.name, constant.value, constant.form])).toEqual([
      ['DEPTH', 8, 'int'],
      ['HEAD_DIM', 128, 'int'],
      ['WINDOW_PATTERN', 'SSSL', 'string'],
      ['TOTAL_BATCH_SIZE', 524288, 'int'],
      ['EMBEDDING_LR', 0.6, 'float'],
      ['USE_X', true, 'boolean'],
    ]);
    const depth = found[0]!;
    expect(pythonSource.slice(depth.start, depth.end)).toBe('8');
    expect(depth.line).toBe(5);
  });

  it('handles CRLF line endings', () => {
    const found = discoverConstants('A = 1\r\nB = "x"\r\n', 'py');
    expect(found.map((constant) => constant.value)).toEqual([1, 'x']);
  });
});

describe('inferParamSpec', () => {
  it('follows the documented rule', () => {
    expect(inferParamSpec({ name: 'MATRIX_LR', value: 0.04, form: 'float' })).toMatchObject({
      type: 'number',
      scale: 'log',
      integer: false,
    });
    const lr = inferParamSpec({ name: 'LR', value: 0.04, form: 'float' });
    expect(lr.type === 'number' && [lr.min, lr.max]).toEqual([0.004, 0.4]);
    expect(inferParamSpec({ name: 'DEPTH', value: 8, form: 'int' }, 'train.py')).toEqual({
      name: 'DEPTH',
      type: 'number',
      min: 2,
      max: 32,
      integer: true,
      scale: 'linear',
      file: 'train.py',
    });
    expect(inferParamSpec({ name: 'B', value: 524288, form: 'int' })).toMatchObject({ min: 131072, scale: 'log' });
    expect(inferParamSpec({ name: 'ONE', value: 1, form: 'int' })).toMatchObject({ min: 1, max: 4 });
    expect(inferParamSpec({ name: 'BETA', value: 0.8, form: 'float' })).toMatchObject({
      min: 0,
      max: 1,
      scale: 'linear',
    });
    expect(inferParamSpec({ name: 'ZERO', value: 0, form: 'float' })).toMatchObject({ min: 0, max: 1 });
    expect(inferParamSpec({ name: 'FLAG', value: false, form: 'boolean' })).toMatchObject({ choices: [true, false] });
    expect(inferParamSpec({ name: 'PATTERN', value: 'SSSL', form: 'string' })).toMatchObject({ choices: ['SSSL'] });
    expect(inferParamSpec({ name: 'NEG', value: -8, form: 'int' })).toMatchObject({ min: -32, max: -2 });
  });
});
