// Locates the bilevel package root (the folder holding its package.json), wherever the code runs from.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BilevelError } from '../core/errors.js';

let cached: string | undefined;

/** Absolute path of the bilevel package root: from `src/` under tsx and from `dist/` after a build. */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === 'bilevel') {
      cached = folder;
      return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) {
      throw new BilevelError('INTERNAL', `no package.json named "bilevel" above ${fileURLToPath(import.meta.url)}`, {
        hint: 'Reinstall bilevel: its package.json is missing.',
      });
    }
    folder = parent;
  }
}

/** bilevel's version, from its package.json (what `bilevel --version` prints). */
export function packageVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
  const version = parsed !== null && typeof parsed === 'object' ? (parsed as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

function readPackageName(manifest: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as { name?: unknown }).name : undefined;
}
