// Checks the data preparation: tag stripping, the fixed document split, and the cache.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusFiles, isValidationDocument, loadCorpus, loadTrainingSplit, stripTags } from './corpus.js';

const cache = mkdtempSync(join(tmpdir(), 'tinygpt-corpus-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('tinygpt corpus', () => {
  it('strips part-of-speech tags at the last slash, one sentence per line', () => {
    const tagged = '\n\n\tThe/at jury/nn said/vbd 1/2/cd ,/, ``/`` no/at ./.\n\n\n\tIt/pps was/bedz ./.\n';
    expect(stripTags(tagged)).toBe('The jury said 1/2 , `` no .\nIt was .\n');
  });

  it('splits by document: every tenth file in name order is validation (50 of 500)', () => {
    const indices = Array.from({ length: 500 }, (_, index) => index);
    expect(indices.filter(isValidationDocument)).toHaveLength(50);
    expect(isValidationDocument(9)).toBe(true);
    expect(isValidationDocument(10)).toBe(false);
  });

  it('prepares the Brown corpus once into the data dir and reads it back, identical; training reads its split alone', () => {
    const previous = process.env.BILEVEL_DATA_DIR;
    process.env.BILEVEL_DATA_DIR = cache;
    try {
      const first = loadCorpus();
      const second = loadCorpus();
      expect(first.cached).toBe(false);
      expect(second.cached).toBe(true);
      expect(first.train.length).toBeGreaterThan(5_000_000);
      expect(first.validation.length).toBeGreaterThan(500_000);
      expect(Buffer.compare(Buffer.from(first.validation), Buffer.from(second.validation))).toBe(0);
      expect(first.train.every((byte) => byte < 128)).toBe(true);
      expect(readdirSync(join(cache, 'tinygpt', 'brown-v1')).sort()).toEqual(['train.bin', 'val.bin']); // no temp files left
      // Training never touches the validation file (the jail hides it): with it gone, the training split still loads.
      rmSync(corpusFiles().validation);
      expect(Buffer.compare(Buffer.from(loadTrainingSplit()), Buffer.from(first.train))).toBe(0);
      expect(existsSync(corpusFiles().validation)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.BILEVEL_DATA_DIR;
      else process.env.BILEVEL_DATA_DIR = previous;
    }
  });
});
