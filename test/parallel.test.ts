// Many trials at once, end to end through the real binary on the synthetic task: four slots run trials side by side,
// tabu sees the trials in flight, each slot gets its own GPU id and variables, and a run killed with SIGKILL at
// random moments with trials in flight resumes to exactly the planned trials, each once.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rng.js';
import { openDatabase } from '../src/storage/database.js';
import { listMechanismEvents } from '../src/storage/mechanism-tables.js';
import { listPendingTrials } from '../src/storage/pending-trials-table.js';
import { listTrials } from '../src/storage/trials-table.js';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

const toyTask = fileURLToPath(new URL('./fixtures/toy-task', import.meta.url));

interface StatusJson {
  id: string;
  state: string;
  trials: { index: number; status: string; commit: string | null; worker: string | null }[];
  paths: { work: string };
}

async function status(stateDir: string, runId: string): Promise<StatusJson> {
  const result = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

/** What a finished run must be, however it was driven: each index once, the TSV as the database, only keeps on the branch. */
function checkRecord(stateDir: string, runId: string, trials: number): void {
  const database = openDatabase(stateDir);
  try {
    const recorded = listTrials(database, runId);
    expect(recorded.map((trial) => trial.index)).toEqual([...Array(trials + 1).keys()]);
    expect(listPendingTrials(database, runId)).toEqual([]);
    const tsv = readFileSync(join(stateDir, 'runs', runId, 'results.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(tsv).toHaveLength(trials + 1);
    const rows = tsv.map((line) => line.split('\t'));
    const byIndexOrder = [...rows].sort((a, b) => (a[4] ?? '').localeCompare(b[4] ?? ''));
    const fromDatabase = recorded
      .map((trial) => [trial.status, trial.metric === null ? '0.000000' : trial.metric.toFixed(6)])
      .sort();
    expect(rows.map((row) => [row[3], row[1]]).sort()).toEqual(fromDatabase);
    expect(byIndexOrder).toHaveLength(trials + 1);
    const work = join(stateDir, 'runs', runId, 'work');
    const onBranch = execFileSync('git', ['log', '--format=%H', `bilevel/${runId}`], { cwd: work, encoding: 'utf8' })
      .trim()
      .split('\n');
    const kept = recorded.filter((trial) => trial.status === 'keep').map((trial) => trial.commit);
    // The branch is the chain of kept trials behind the best one: nothing else is on it.
    expect(onBranch.every((commit) => kept.includes(commit))).toBe(true);
    expect(onBranch).toContain(recorded[0]?.commit);
  } finally {
    database.close();
  }
}

describe('many trials at once (real CLI, synthetic task)', () => {
  it('runs four trials side by side, each in its own slot; tabu rejects a move that is running now', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-workers-'));
    const result = await runCli([
      'run',
      ...['--task', 'synthetic', '--proposer', 'random', '--trials', '40', '--seed', '11', '--workers', '4'],
      ...['--mechanisms', 'tabu', '--mechanism-param', 'tabu.tolerance=0.3', '--json', '--state-dir', stateDir],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as StatusJson;
    expect(run.state).toBe('finished');
    checkRecord(stateDir, run.id, 40);
    expect(new Set(run.trials.map((trial) => trial.worker))).toEqual(
      new Set(['local slot 0', 'local slot 1', 'local slot 2', 'local slot 3']),
    );
    const database = openDatabase(stateDir);
    try {
      const trials = listTrials(database, run.id);
      // Trials overlapped: most were proposed while others ran, and finished out of index order.
      expect(trials.filter((trial) => trial.inFlight.length >= 2).length).toBeGreaterThan(10);
      const events = listMechanismEvents(database, run.id);
      const becauseRunning = events.filter(
        (event) => event.kind === 'decision-changed' && JSON.stringify(event.after).includes('running now'),
      );
      expect(becauseRunning.length).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });

  it('gives slot k the k-th GPU id and its --slot-env variables', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-gpus-'));
    const result = await runCli([
      'run',
      ...['--task', toyTask, '--proposer', 'random', '--trials', '6', '--budget', '1', '--gpus', '7,9'],
      ...['--slot-env', 'SLOT_TAG=s{slot}-g{gpu}', '--json', '--state-dir', stateDir],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as StatusJson;
    const database = openDatabase(stateDir);
    try {
      const seen = new Set<string>();
      for (const trial of listTrials(database, run.id)) {
        if (trial.logPath === null) continue; // rejected: never ran
        const log = readFileSync(trial.logPath, 'utf8');
        const gpu = /CUDA_VISIBLE_DEVICES=(\S*)/.exec(log)?.[1];
        const tag = /SLOT_TAG=(\S*)/.exec(log)?.[1];
        const slot = Number(trial.worker?.split(' ').at(-1));
        expect(gpu).toBe(['7', '9'][slot]);
        expect(tag).toBe(`s${slot}-g${gpu}`);
        seen.add(gpu ?? '');
      }
      expect(seen).toEqual(new Set(['7', '9']));
    } finally {
      database.close();
    }
  });

  it('refuses more workers than GPU ids', async () => {
    const result = await runCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--workers',
      '3',
      '--gpus',
      '0,1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--workers 3 needs a GPU id per slot, but --gpus gives 2/);
  });

  it('survives SIGKILL at 5 random moments with trials in flight: exactly trials 0..32, each once', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-workers-kill-'));
    const args = ['--task', 'synthetic', '--proposer', 'random', '--trials', '32', '--seed', '5'];
    const rng = createRng(7);
    let child = startCli(['run', ...args, '--workers', '4', '--levels', '1,1.5', '--state-dir', stateDir]);
    let pending = collect(child);
    const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
    let interruptedInFlight = 0;
    for (let kill = 0; kill < 5; kill++) {
      if (kill > 0) await waitForOutput(child, /resuming run/);
      await new Promise((resolve) => setTimeout(resolve, 800 + rng.int(2000)));
      child.kill('SIGKILL');
      const ended = await pending;
      if (ended.code === 0) break;
      const database = openDatabase(stateDir);
      interruptedInFlight += listPendingTrials(database, runId).length;
      database.close();
      child = startCli(['resume', runId, '--state-dir', stateDir]);
      pending = collect(child);
    }
    const last = await pending;
    if (last.code !== 0) {
      const final = await runCli(['resume', runId, '--state-dir', stateDir]);
      expect(final.code, final.stderr).toBe(0);
    }
    expect((await status(stateDir, runId)).state).toBe('finished');
    checkRecord(stateDir, runId, 32);
    // The kills landed with trials in flight, which the resumes ran again.
    expect(interruptedInFlight).toBeGreaterThan(0);
  }, 240_000);
});
