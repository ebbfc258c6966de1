import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../storage/database.js';
import { loadMetaSessionsRenderer, renderMetaSessionsSection } from './load-meta-sessions.js';

const folder = mkdtempSync(join(tmpdir(), 'bilevel-meta-loader-'));
function module(name: string, source: string): string {
  const path = join(folder, name);
  writeFileSync(path, source);
  return pathToFileURL(path).href;
}
const database = {} as Database;

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('loadMetaSessionsRenderer', () => {
  it('finds nothing when the module is absent', async () => {
    expect(await loadMetaSessionsRenderer(pathToFileURL(join(folder, 'absent.mjs')).href)).toBeUndefined();
  });

  it('finds nothing when the module lacks renderMetaSessions', async () => {
    expect(await loadMetaSessionsRenderer(module('other.mjs', 'export const x = 1;'))).toBeUndefined();
  });

  it('loads renderMetaSessions and renders its Markdown under a section heading', async () => {
    const renderer = await loadMetaSessionsRenderer(
      module('good.mjs', 'export function renderMetaSessions(db, runId) { return "### Session 1 of " + runId; }'),
    );
    expect(renderer).toBeTypeOf('function');
    expect(await renderMetaSessionsSection(database, 'r7', renderer)).toBe(
      '## Level 2: meta sessions\n\n### Session 1 of r7',
    );
  });

  it('keeps a renderer heading of its own, and says "no meta sessions" for an empty answer or no renderer', async () => {
    expect(await renderMetaSessionsSection(database, 'r', () => '## Meta sessions\n\n...')).toBe(
      '## Meta sessions\n\n...',
    );
    expect(await renderMetaSessionsSection(database, 'r', async () => '  \n')).toContain(
      'No meta sessions in this run.',
    );
    expect(await renderMetaSessionsSection(database, 'r', undefined)).toContain('No meta sessions in this run.');
  });

  it('throws when the module is there but broken (a missing import inside it is a bug, not an absence)', async () => {
    const broken = module('broken.mjs', "import './not-there.mjs'; export const renderMetaSessions = () => '';");
    await expect(loadMetaSessionsRenderer(broken)).rejects.toThrow(/not-there/);
    await expect(loadMetaSessionsRenderer(module('syntax.mjs', 'export const = ;'))).rejects.toThrow();
  });
});
