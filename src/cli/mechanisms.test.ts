import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMechanismsCommand } from './mechanisms.js';

let folder: string;
const stripHeader = (text: string) => text.replace(/^\/\/ @ts-nocheck\n\/\/ Hostile fixture[^\n]*\n/, '');
const fixture = (name: string) =>
  stripHeader(readFileSync(new URL(`../gate/__fixtures__/hostile/${name}.ts`, import.meta.url), 'utf8'));

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'bilevel-mechanisms-cli-'));
  writeFileSync(join(folder, 'tabu-repeats.ts'), fixture('legitimate'));
  writeFileSync(join(folder, 'writes-file.ts'), fixture('writes-file'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `bilevel mechanisms …` in process; returns what it printed and the exit code it set. */
async function run(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const program = new Command('bilevel').exitOverride();
  registerMechanismsCommand(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await program.parseAsync(['mechanisms', ...args, '--state-dir', join(folder, 'state')], { from: 'user' });
  return { stdout, exitCode: typeof process.exitCode === 'number' ? process.exitCode : 0 };
}

describe('bilevel mechanisms (in process, real gate, temp state dir)', () => {
  it('add refuses a hostile module with exit 2 and a model-readable problem list', async () => {
    const { stdout, exitCode } = await run('add', join(folder, 'writes-file.ts'), '--json');
    expect(exitCode).toBe(2);
    const parsed = JSON.parse(stdout) as { added: boolean; report: { stageReached: string; problems: string[] } };
    expect(parsed.added).toBe(false);
    expect(parsed.report.stageReached).toBe('static-scan');
    expect(parsed.report.problems[0]).toMatch(/^writes-file\.ts:\d+:\d+ static-scan: 'require' is not allowed/);
  });

  it('add stores a passing module; list and show find it beside the built-ins', async () => {
    const added = await run('add', join(folder, 'tabu-repeats.ts'));
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toMatch(/^added tabu-repeats to .*would change \d+ decisions on replay/);
    const again = await run('add', join(folder, 'tabu-repeats.ts'));
    expect(again.stdout).toContain('nothing to do');
    const listed = JSON.parse((await run('list', '--json')).stdout) as {
      mechanisms: { name: string; origin: string }[];
    };
    expect(listed.mechanisms).toContainEqual(expect.objectContaining({ name: 'tabu-repeats', origin: 'library' }));
    expect(listed.mechanisms).toContainEqual(expect.objectContaining({ name: 'tabu', origin: 'builtin' }));
    const shown = JSON.parse((await run('show', 'tabu-repeats', '--json')).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      name: 'tabu-repeats',
      origin: 'library',
      inert: false,
      evidence: 'not measured in a run yet',
      runs: [],
    });
    expect(shown.source).toContain('defineMechanism');
  });

  it("show prints a built-in's params as a table: default, allowed values, and what each does", async () => {
    const { stdout, exitCode } = await run('show', 'plateau-restart');
    expect(exitCode).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('hooks: selectParent, transformPrompt, onTrialEnd');
    expect(lines).toContain('params (set one with --mechanism-param plateau-restart.PARAM=VALUE):');
    expect(lines.find((line) => line.startsWith('  name'))).toMatch(/^ {2}name +default +allowed +what it does$/);
    expect(lines.find((line) => line.startsWith('  patience'))).toMatch(/^ {2}patience +8 +integer 2 to 100 +Trials /);
    expect(lines.find((line) => line.startsWith('  from'))).toMatch(
      /^ {2}from +"best" +one of "best", "last" +Restart/,
    );
    expect(stdout).not.toContain('{"patience"');
  });
});
