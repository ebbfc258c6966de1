// Model text with NUL, terminal escapes and bidi overrides, end to end through the real binary (a local fake
// OpenAI-compatible server): the kept trial commits, and no terminal line, results.tsv row, commit or report
// carries a raw control character; the database keeps the text as the model wrote it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { runCli } from './helpers/cli.js';

/** A summary a careless or hostile model might write: NUL, ANSI colour and clear-screen, a bidi override, C1 CSI. */
const hostileSummary = 'lower\u0000 lr \u001b[31mRED\u001b[0m\u001b[2J \u202Egnp.exe\u202C \u009b2J done';
/** Anything a terminal would act on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about control characters
const raw = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
  let calls = 0;
  const values = [0.03, 0.05, 0.02, 0.06];
  server.setFallback(() => ({
    text: JSON.stringify({
      summary: hostileSummary,
      rationale: 'because\u0007',
      values: [{ name: 'MATRIX_LR', value: values[calls++ % values.length] }],
    }),
  }));
});
afterAll(async () => {
  await server.close();
});

describe('untrusted model text through the CLI (local fake OpenAI-compatible server)', () => {
  it('a NUL in a kept trial’s summary commits; terminal, results.tsv, git log and report show escapes; the DB keeps it raw', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-untrusted-'));
    const result = await runCli([
      'run',
      '--task',
      'synthetic',
      '--levels',
      '1',
      '--trials',
      '3',
      '--llm',
      'openai-compatible:fake',
      '--llm-base-url',
      server.baseUrl,
      '--state-dir',
      stateDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(raw);
    expect(result.stdout).toContain('lower\\x00 lr \\x1B[31mRED');
    const runId = /run (\S+) finished/.exec(result.stdout)?.[1] as string;

    const status = JSON.parse((await runCli(['status', runId, '--json', '--state-dir', stateDir])).stdout) as {
      trials: { status: string; summary: string; commit: string | null }[];
    };
    const kept = status.trials.filter((trial) => trial.status === 'keep' && trial.summary === hostileSummary);
    expect(kept.length).toBeGreaterThan(0);
    const human = await runCli(['status', runId, '--state-dir', stateDir]);
    expect(human.stdout).not.toMatch(raw);

    const tsv = await readFile(join(stateDir, 'runs', runId, 'results.tsv'), 'utf8');
    expect(tsv).not.toMatch(raw);
    expect(tsv.trim().split('\n')).toHaveLength(5);
    for (const row of tsv.trim().split('\n')) expect(row.split('\t')).toHaveLength(5);

    const log = execFileSync('git', ['log', '--format=%s'], { cwd: join(stateDir, 'runs', runId, 'work') }).toString();
    expect(log).toContain('lower\\x00 lr');
    expect(log).not.toMatch(raw);

    const report = await runCli(['report', runId, '--state-dir', stateDir]);
    expect(report.code, report.stderr).toBe(0);
    const markdown = await readFile(join(stateDir, 'runs', runId, 'report', 'report.md'), 'utf8');
    expect(markdown).toContain('\\x1B[31mRED');
    expect(markdown).not.toMatch(raw);
  }, 120_000);
});
