import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlobs, globToRegExp } from './expand-globs.js';

describe('globs', () => {
  it('keeps * and ? within a segment, lets ** span segments, and matches everything inside a named folder', () => {
    expect(globToRegExp('*.py').test('evaluate.py')).toBe(true);
    expect(globToRegExp('*.py').test('lib/evaluate.py')).toBe(false);
    expect(globToRegExp('data/val/**').test('data/val/a/b.bin')).toBe(true);
    expect(globToRegExp('data/val/**').test('data/train/a.bin')).toBe(false);
    expect(globToRegExp('**/secret?.txt').test('a/b/secret1.txt')).toBe(true);
    expect(globToRegExp('**/secret?.txt').test('secret1.txt')).toBe(true);
    expect(globToRegExp('data/val').test('data/val/x.bin')).toBe(true);
    expect(globToRegExp('a.b').test('aXb')).toBe(false);
  });

  it('expands to the files of a folder, skipping .git and node_modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bilevel-globs-'));
    for (const folder of ['data/val', 'data/train', '.git', 'node_modules/x'])
      mkdirSync(join(dir, folder), { recursive: true });
    for (const file of [
      'data/val/1.bin',
      'data/val/2.bin',
      'data/train/1.bin',
      'evaluate.py',
      '.git/val.bin',
      'node_modules/x/val.bin',
    ]) {
      writeFileSync(join(dir, file), '');
    }
    expect(await expandGlobs(dir, ['data/val/**', 'evaluate.py', '**/val.bin'])).toEqual([
      'data/val/1.bin',
      'data/val/2.bin',
      'evaluate.py',
    ]);
  });
});
