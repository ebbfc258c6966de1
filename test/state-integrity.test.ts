// The state dir under misuse, through the real binary (synthetic task, random proposer): two `resume`s of one run at
// once (exactly one drives it, the other gets RUN_LOCKED), and a damaged database (STATE_CORRUPT, with what to do).
import { truncateSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

describe('state dir integrity through the CLI (synthetic task, random proposer)', () => {
  it('two `bilevel resume ID` at once: one finishes the run, the other is refused with RUN_LOCKED (exit 2)', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-lock-'));
    const first = startCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--trials',
      '4',
      '--state-dir',
      stateDir,
    ]);
    const [, runId] = await waitForOutput(first, /run (\S+) on synthetic/);
    await waitForOutput(first, /trial 0\/4/);
    first.kill('SIGINT');
    expect((await collect(first)).code).toBe(130);

    const resumes = await Promise.all([0, 1].map(() => runCli(['resume', runId as string, '--state-dir', stateDir])));
    const codes = resumes.map((result) => result.code).sort();
    expect(codes, resumes.map((result) => result.stderr).join('\n')).toEqual([0, 2]);
    const refused = resumes.find((result) => result.code === 2);
    expect(refused?.stderr).toMatch(/error \[RUN_LOCKED\]: run \S+ is being driven by process \d+/);
    for (const result of resumes) expect(result.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);
    const status = JSON.parse(
      (await runCli(['status', runId as string, '--json', '--state-dir', stateDir])).stdout,
    ) as {
      state: string;
      trials: { index: number }[];
    };
    expect(status.state).toBe('finished');
    expect(status.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4]);
  }, 180_000);

  it('`truncate -s 1000 bilevel.sqlite; bilevel status` is STATE_CORRUPT (exit 1) with what to do, no stack trace', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-corrupt-'));
    const made = await runCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--trials',
      '1',
      '--state-dir',
      stateDir,
    ]);
    expect(made.code, made.stderr).toBe(0);
    truncateSync(join(stateDir, 'bilevel.sqlite'), 1000);
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['run', '--task', 'synthetic', '--proposer', 'random', '--trials', '1'],
    ]) {
      const result = await runCli([...args, '--state-dir', stateDir]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/error \[STATE_CORRUPT\]: the state database \S+bilevel\.sqlite is damaged/);
      expect(result.stderr).toMatch(/→ move it aside/);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    truncateSync(join(stateDir, 'bilevel.sqlite'), 0);
    const empty = await runCli(['status', '--state-dir', stateDir]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/STATE_CORRUPT.*is empty \(0 bytes\), but .* holds 1 run folder/);
  }, 120_000);
});
