import { describe, expect, it } from 'vitest';
import { alignColumns } from './align-columns.js';

describe('alignColumns', () => {
  it('pads every column to its widest cell, two spaces apart, and trims line ends', () => {
    expect(
      alignColumns([
        ['id', 'state', 'best'],
        ['20261127-0254', 'running', '2.77'],
        ['x', 'finished', ''],
      ]),
    ).toBe(['id             state     best', '20261127-0254  running   2.77', 'x              finished'].join('\n'));
  });

  it('handles rows of different lengths and an empty table', () => {
    expect(alignColumns([['a'], ['bb', 'c']])).toBe('a\nbb  c');
    expect(alignColumns([])).toBe('');
  });
});
