// The layering written in AGENTS.md, enforced: a source file may import only its own folder and the folders on lower
// lines of the layer list; folders on one line may not import each other; the mechanism contract imports nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The layer list from AGENTS.md: the fenced block after the "## Layers" heading, top layer first. */
function readLayers(agentsMap: string): string[][] {
  const section = /## Layers[^\n]*\n[\s\S]*?```text\n([\s\S]*?)```/.exec(agentsMap);
  if (!section?.[1]) throw new Error('AGENTS.md has no "## Layers" section with a ```text block');
  return section[1]
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split(/\s+/));
}

/** Relative import specifiers of a module (static, dynamic, re-exports, require). */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found: string[] = [];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** The top folder of `src/` a path lies in (`src/inner/x.ts` → `inner`), or null for files directly in src/. */
function folderOf(path: string): string | null {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? (parts[1] as string) : null;
}

interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** Every import of `files` (path → source) that breaks the layering. */
function findViolations(files: ReadonlyMap<string, string>, layers: readonly string[][]): Violation[] {
  const rank = new Map<string, number>();
  layers.forEach((line, index) => {
    for (const folder of line) rank.set(folder, index);
  });
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    const from = folderOf(file);
    if (from === null) continue; // src/index.ts: the public surface re-exports every layer
    const fromRank = rank.get(from);
    if (fromRank === undefined) {
      violations.push({ file, imports: '', why: `src/${from} is not in AGENTS.md's layer list` });
      continue;
    }
    for (const specifier of importSpecifiers(source)) {
      if (!specifier.startsWith('.')) continue;
      const target = normalize(join(dirname(file), specifier));
      if (!target.startsWith('src/')) continue;
      const to = folderOf(target);
      if (to === null || to === from) continue;
      const toRank = rank.get(to);
      if (toRank === undefined)
        violations.push({ file, imports: specifier, why: `src/${to} is not in the layer list` });
      else if (toRank === fromRank)
        violations.push({ file, imports: specifier, why: `${from} and ${to} are siblings` });
      else if (toRank < fromRank) violations.push({ file, imports: specifier, why: `${to} is above ${from}` });
    }
  }
  return violations;
}

function sourceFiles(): Map<string, string> {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => /\.(ts|cjs|mjs|js)$/.test(path) && !/\.test\.ts$/.test(path) && !path.includes('/__fixtures__/'));
  return new Map(listed.map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}

describe('layer boundaries', () => {
  const layers = readLayers(readFileSync(join(root, 'AGENTS.md'), 'utf8'));

  it('holds for every source file (tests and fixtures aside): no import runs up or sideways', () => {
    const files = sourceFiles();
    expect(files.size).toBeGreaterThan(150);
    const violations = findViolations(files, layers).map(
      (violation) => `${violation.file} imports ${violation.imports}: ${violation.why}`,
    );
    expect(violations).toEqual([]);
  });

  it('keeps the mechanism contract free of imports', () => {
    const contract = readFileSync(join(root, 'src/mechanisms/mechanism.ts'), 'utf8');
    expect(importSpecifiers(contract)).toEqual([]);
  });

  it('fails on an upward import, a sideways import and an unlisted folder (the check can fail)', () => {
    const files = new Map([
      ['src/storage/trials-table.ts', "import { runTrial } from '../inner/trial-cycle.js';"],
      ['src/llm/x.ts', "import type { Task } from '../task/load-task.js';"],
      ['src/nowhere/y.ts', "import { a } from '../core/errors.js';"],
      ['src/inner/z.ts', "import { b } from '../storage/database.js';\nimport { c } from './local.js';"],
    ]);
    const why = findViolations(files, layers).map((violation) => `${violation.file}: ${violation.why}`);
    expect(why).toEqual([
      'src/storage/trials-table.ts: inner is above storage',
      'src/llm/x.ts: llm and task are siblings',
      "src/nowhere/y.ts: src/nowhere is not in AGENTS.md's layer list",
    ]);
  });

  it('lists every folder of src/ in the layer list once', () => {
    const listed = layers.flat();
    expect(new Set(listed).size).toBe(listed.length);
    const folders = [...new Set([...sourceFiles().keys()].map(folderOf).filter((folder) => folder !== null))];
    expect(folders.filter((folder) => !listed.includes(folder as string))).toEqual([]);
  });
});
