// AGENTS.md maps every file: each tracked source, prompt, task, bench, test and doc file (or its fixtures folder)
// must be named there, so the map cannot silently fall behind the code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('AGENTS.md', () => {
  it('names every file (tests beside the code and fixture folders are covered by their rules)', () => {
    const map = readFileSync(new URL('../AGENTS.md', import.meta.url), 'utf8');
    const files = execFileSync('git', ['ls-files', 'src', 'bin', 'bench', 'tasks', 'prompts', 'test', 'docs'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((path) => path.length > 0);
    expect(files.length).toBeGreaterThan(100);
    const missing = files.filter((path) => {
      if (path.endsWith('.test.ts') && !path.startsWith('test/')) return false;
      const fixtures = /^(.*\/__fixtures__\/)/.exec(path)?.[1];
      return !map.includes(`\`${fixtures ?? path}\``);
    });
    expect(missing, `add these to AGENTS.md: ${missing.join(', ')}`).toEqual([]);
  });
});
