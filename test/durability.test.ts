// A run killed with SIGKILL at random points, then resumed, ends with exactly the planned trials, each once,
// and the same record as an uninterrupted run with the same seed.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rng.js';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

const trials = 20;
const seed = 7;

interface StatusJson {
  id: string;
  state: string;
  mechanisms: unknown[];
  settingsHistory: unknown[];
  trials: { index: number; status: string; metric: number | null; summary: string }[];
}

async function status(stateDir: string, runId: string): Promise<StatusJson> {
  const result = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

function shape(run: StatusJson) {
  return run.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.summary]);
}

const plain = ['--task', 'synthetic', '--proposer', 'random', '--trials', String(trials), '--seed', String(seed)];
const withMechanisms = [...plain, '--levels', '1,1.5', '--mechanisms', 'tabu,bandit,confirm-marginal'];

describe('durability (real CLI, synthetic task)', () => {
  it.each([
    ['level 1', plain],
    ['levels 1,1.5 with tabu, bandit and confirm-marginal', withMechanisms],
  ])(
    '%s: survives SIGKILL at 6 random points and ends with the uninterrupted record',
    async (_name, args) => {
      const reference = await mkdtemp(join(tmpdir(), 'bilevel-ref-'));
      const straight = await runCli(['run', ...args, '--json', '--state-dir', reference]);
      expect(straight.code, straight.stderr).toBe(0);
      const expected = JSON.parse(straight.stdout) as StatusJson;
      expect(expected.trials.map((trial) => trial.index)).toEqual([...Array(trials + 1).keys()]);

      const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-kill-'));
      const rng = createRng(2026);
      const first = startCli(['run', ...args, '--state-dir', stateDir]);
      const done = collect(first);
      const runId = (await waitForOutput(first, /run (\S+) on synthetic/))[1] as string;
      const killedAt: number[] = [];
      let child = first;
      let pending = done;
      for (let kill = 0; kill < 6; kill++) {
        // Once this process has recorded a trial (so each kill lands further on, whatever a session's start costs),
        // a random moment within about the next trial: mid-execution, mid-commit or mid-write, wherever it lands.
        await waitForOutput(child, /trial +\d+\//, 90_000);
        await new Promise((resolve) => setTimeout(resolve, rng.int(2500)));
        child.kill('SIGKILL');
        const ended = await pending;
        killedAt.push((await status(stateDir, runId)).trials.length);
        if (ended.code === 0) break; // it finished before the kill landed
        child = startCli(['resume', runId, '--state-dir', stateDir]);
        pending = collect(child);
      }
      const last = await pending;
      if (last.code !== 0) {
        const final = await runCli(['resume', runId, '--state-dir', stateDir]);
        expect(final.code, final.stderr).toBe(0);
      }

      const resumed = await status(stateDir, runId);
      expect(resumed.state).toBe('finished');
      expect(resumed.mechanisms).toEqual(expected.mechanisms);
      if (args === withMechanisms) {
        const changed = (expected.mechanisms as { decisionsChanged: number }[]).map((entry) => entry.decisionsChanged);
        expect(changed.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
      }
      expect(resumed.settingsHistory.length).toBe(expected.settingsHistory.length);
      expect(new Set(killedAt).size).toBeGreaterThanOrEqual(3);
      expect(shape(resumed)).toEqual(shape(expected));
      const rows = readFileSync(join(stateDir, 'runs', runId, 'results.tsv'), 'utf8')
        .trim()
        .split('\n');
      expect(rows[0]).toBe('commit\tval_bpb\tmemory_gb\tstatus\tdescription');
      expect(rows).toHaveLength(trials + 2);
    },
    180_000,
  );

  it('stops cleanly on Ctrl-C, marks the run interrupted, and resumes to the end', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-int-'));
    const child = startCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--trials',
      '6',
      '--state-dir',
      stateDir,
    ]);
    const done = collect(child);
    const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
    await waitForOutput(child, /trial +1\/6/);
    child.kill('SIGINT');
    const ended = await done;
    expect(ended.code).toBe(130);
    const stopped = await status(stateDir, runId);
    expect(stopped.state).toBe('interrupted');
    const resumed = await runCli(['resume', runId, '--state-dir', stateDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const finished = await status(stateDir, runId);
    expect(finished.state).toBe('finished');
    expect(finished.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  }, 120_000);
});
