import { describe, expect, it } from 'vitest';
import { parseLiteral } from './parse-literal.js';

describe('parseLiteral', () => {
  it('reads numbers in both languages, keeping int and float forms apart', () => {
    expect(parseLiteral('8', 'ts')).toEqual({ value: 8, form: 'int' });
    expect(parseLiteral('1e-3', 'py')).toEqual({ value: 0.001, form: 'float' });
    expect(parseLiteral('1_000_000', 'ts')).toEqual({ value: 1_000_000, form: 'int' });
    expect(parseLiteral('-0.5', 'py')).toEqual({ value: -0.5, form: 'float' });
    expect(parseLiteral('.25', 'ts')).toEqual({ value: 0.25, form: 'float' });
    expect(parseLiteral('1.0', 'py')).toEqual({ value: 1, form: 'float' });
  });

  it('evaluates int powers and products only', () => {
    expect(parseLiteral('2 ** 19', 'ts')?.value).toBe(524288);
    expect(parseLiteral('2**19', 'py')?.value).toBe(524288);
    expect(parseLiteral('64 * 1024', 'py')?.value).toBe(65536);
    expect(parseLiteral('2 ** 3 ** 2', 'py')?.value).toBe(512);
    expect(parseLiteral('2 ** 0.5', 'py')).toBeUndefined();
    expect(parseLiteral('2 + 3', 'ts')).toBeUndefined();
    expect(parseLiteral('2 ** 80', 'ts')).toBeUndefined();
    expect(parseLiteral('SIZE * 2', 'ts')).toBeUndefined();
  });

  it('reads booleans with each language spelling only', () => {
    expect(parseLiteral('true', 'ts')?.value).toBe(true);
    expect(parseLiteral('False', 'py')?.value).toBe(false);
    expect(parseLiteral('True', 'ts')).toBeUndefined();
    expect(parseLiteral('true', 'py')).toBeUndefined();
  });

  it('decodes string escapes', () => {
    expect(parseLiteral(String.raw`"a\"b\\c\n"`, 'ts')?.value).toBe('a"b\\c\n');
    expect(parseLiteral(String.raw`'\u2028\x41\u{1F600}'`, 'ts')?.value).toBe('\u2028A\u{1F600}');
    expect(parseLiteral(String.raw`"\x41\101\U0001F600\q"`, 'py')?.value).toBe('AA\u{1F600}\\q');
    expect(parseLiteral(`'SSSL'`, 'py')?.value).toBe('SSSL');
  });

  it('rejects malformed or unsupported strings', () => {
    expect(parseLiteral(`"abc`, 'ts')).toBeUndefined();
    expect(parseLiteral(`"a"b"`, 'ts')).toBeUndefined();
    expect(parseLiteral(String.raw`"abc\"`, 'py')).toBeUndefined();
    expect(parseLiteral(`"""abc"""`, 'py')).toBeUndefined();
    expect(parseLiteral(String.raw`"\N{DASH}"`, 'py')).toBeUndefined();
    expect(parseLiteral(String.raw`"\07"`, 'ts')).toBeUndefined();
  });
});
