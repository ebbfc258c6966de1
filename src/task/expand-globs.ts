// Expands task-relative globs (`*`, `**`, `?`) to the files they match in a folder, .git and node_modules skipped.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** `*` and `?` stay within one path segment; `**` spans any number of them; a folder's path matches all inside it. */
export function globToRegExp(pattern: string): RegExp {
  const normalized = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let index = 0; index < normalized.length; index++) {
    const char = normalized[index]!;
    if (char === '*' && normalized[index + 1] === '*') {
      const slash = normalized[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Every file under `dir` (relative, `/`-separated) that one of `patterns` matches, sorted. */
export async function expandGlobs(dir: string, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const matchers = patterns.map(globToRegExp);
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && matchers.some((matcher) => matcher.test(path))) found.push(path);
    }
  };
  await walk('');
  return found.sort();
}
