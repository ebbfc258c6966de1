// The inner loop records every kind of failure as an outcome and goes on: crash, hang, NaN, no metric, a tampered
// harness, invalid or hostile params, edits to protected files; and it stops, with TASK_BROKEN, only when the task
// cannot run at all (the baseline and the 5 trials after it measured nothing). Uses a scripted proposer (a test
// double of the proposer contract, not an LLM) on the toy task in test/fixtures.
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Proposer } from '../src/inner/proposer.js';
import { driveRun } from '../src/inner/run-loop.js';
import type { Proposal } from '../src/records/proposal.js';
import { createRun, openSession } from '../src/run/open-run.js';
import { openDatabase } from '../src/storage/database.js';
import { listTrials } from '../src/storage/trials-table.js';
import { loadTask } from '../src/task/load-task.js';

const toyTask = fileURLToPath(new URL('./fixtures/toy-task', import.meta.url));

function scripted(proposals: (Proposal | string)[]): Proposer {
  let next = 0;
  return {
    specificationVersion: 'proposer-v1',
    name: 'scripted',
    async propose(context) {
      // One entry per attempt; a rejected first attempt moves on to the next entry on the retry.
      const entry = proposals[next++];
      if (entry === undefined) throw new Error(`script exhausted at trial ${context.trialIndex}`);
      return typeof entry === 'string' ? { ok: false, reason: entry } : { ok: true, proposal: entry };
    },
  };
}

/** A Level 1 run config on the toy task: 1-s budget, 2-s timeout, two proposal attempts, no crash fixes. */
const toyConfig = (run: { task: string; trials: number; seed: number }) => ({
  ...run,
  levels: ['1' as const],
  proposer: 'random' as const,
  budgetSeconds: 1,
  timeoutSeconds: 2,
  mode: 'params' as const,
  mechanisms: [],
  outerEvery: 5,
  noiseThreshold: 0,
  historyLimit: 200,
  proposalAttempts: 2,
  fixAttempts: 0,
});

const params = (values: Record<string, unknown>, summary: string): Proposal =>
  ({ kind: 'params', values, summary }) as Proposal;

describe('loop outcomes (toy task, scripted proposer)', () => {
  it('records crash, timeout, NaN, missing metric, tampering and rejections, and keeps going', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-outcomes-'));
    const database = openDatabase(stateDir);
    const task = await loadTask(toyTask);
    const script: (Proposal | string)[] = [
      params({ BEHAVIOUR: 'crash' }, 'crash'), // 1
      params({ BEHAVIOUR: 'hang' }, 'hang'), // 2
      params({ BEHAVIOUR: 'nan' }, 'nan'), // 3
      params({ BEHAVIOUR: 'silent' }, 'silent'), // 4
      params({ BEHAVIOUR: 'tamper' }, 'tamper'), // 5
      params({ X: '1;\nprocess.exit(0)' }, 'string into a number'), // 6, attempt 1
      params({ NOPE: 1 }, 'unknown param'), // 6, attempt 2
      params({ X: 99 }, 'out of range'), // 7, attempt 1
      'the model replied with malformed JSON', // 7, attempt 2
      { kind: 'code', edits: [{ file: 'harness.mjs', search: 'noise', replace: '0' }], summary: 'edit the harness' }, // 8
      { kind: 'code', edits: [{ file: 'train.mjs', search: 'X = 2.5', replace: 'X = 1' }], summary: 'code edit X' }, // 8 retry
      params({ Y: -0.5 }, 'good move'), // 9
    ];
    const { run } = await createRun(database, stateDir, toyConfig({ task: toyTask, trials: 9, seed: 3 }), task);
    const session = await openSession(
      database,
      stateDir,
      { run, task },
      { proposer: scripted(script), signal: new AbortController().signal },
    );
    const end = await driveRun(session);
    expect(end.state).toBe('finished');

    const trials = listTrials(database, run.id);
    const summary = trials.map((trial) => [trial.index, trial.status]);
    expect(summary).toEqual([
      [0, 'keep'],
      [1, 'crash'],
      [2, 'timeout'],
      [3, 'crash'],
      [4, 'crash'],
      [5, 'crash'],
      [6, 'rejected'],
      [7, 'rejected'],
      [8, 'keep'],
      [9, 'keep'],
    ]);
    const reason = (index: number) => trials[index]?.reason ?? '';
    expect(reason(1)).toMatch(/exit code 1: .*boom/);
    expect(reason(2)).toMatch(/killed after the 2 s timeout/);
    expect(reason(3)).toMatch(/score is NaN/);
    expect(reason(4)).toMatch(/no "score: <number>" line/);
    expect(reason(5)).toMatch(/modified protected or hidden file\(s\): harness.mjs/);
    expect(trials[6]?.attempts.map((attempt) => attempt.reason)).toEqual([
      expect.stringMatching(/X.*number/i),
      expect.stringMatching(/NOPE/),
    ]);
    expect(trials[7]?.attempts[0]?.reason).toMatch(/X.*range|between|-4/i);
    expect(reason(7)).toBe('the model replied with malformed JSON');
    expect(trials[8]?.attempts[0]?.reason).toMatch(/harness.mjs/);
    expect(trials[8]?.values.X).toBe(1);
    expect(trials[9]?.metric).toBeLessThan(trials[0]?.metric as number);

    // The tampered harness was restored, the string never reached the file, and the record is on disk.
    expect(readFileSync(join(session.paths.work, 'harness.mjs'), 'utf8')).toContain('export function report');
    expect(readFileSync(join(session.paths.work, 'train.mjs'), 'utf8')).toMatch(/^export const X = 1;$/m);
    const tsv = readFileSync(session.paths.resultsTsv, 'utf8').trim().split('\n');
    expect(tsv).toHaveLength(11);
    // Crashed, timed-out and rejected trials name a commit too (on their side refs), as autoresearch's rows do.
    for (const row of tsv.slice(1)) expect(row.split('\t')[0]).toMatch(/^[0-9a-f]{7}$/);
    database.close();
  }, 60_000);

  /** A copy of the toy task whose unchanged file crashes, driven by `script`; returns the record and how it ended. */
  async function crashingBaselineRun(script: Proposal[], trials: number) {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-broken-'));
    const taskDir = join(stateDir, 'task');
    await cp(toyTask, taskDir, { recursive: true });
    const train = join(taskDir, 'train.mjs');
    await writeFile(train, (await readFile(train, 'utf8')).replace("BEHAVIOUR = 'normal'", "BEHAVIOUR = 'crash'"));
    const database = openDatabase(stateDir);
    const task = await loadTask(taskDir);
    const { run } = await createRun(database, stateDir, toyConfig({ task: taskDir, trials, seed: 0 }), task);
    const notes: string[] = [];
    const session = await openSession(
      database,
      stateDir,
      { run, task },
      {
        proposer: scripted(script),
        signal: new AbortController().signal,
        onProgress: (event) => {
          if (event.type === 'note') notes.push(event.message);
        },
      },
    );
    const ended = await driveRun(session).then(
      (end) => end.state,
      (error: unknown) => error,
    );
    const statuses = listTrials(database, run.id).map((trial) => trial.status);
    database.close();
    return { ended, statuses, notes };
  }

  it('stops a run whose task cannot run at all: the baseline and the next 5 trials failed (TASK_BROKEN)', async () => {
    const moves = [0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((x) => params({ X: x }, `X ${x}`));
    const { ended, statuses, notes } = await crashingBaselineRun(moves, 7);
    expect(ended).toMatchObject({ code: 'TASK_BROKEN', message: expect.stringMatching(/trial 0.*5 trials after it/) });
    expect((ended as { hint: string }).hint).toMatch(/trials\/0000\/run.log/);
    expect(statuses).toEqual(['crash', 'crash', 'crash', 'crash', 'crash', 'crash']);
    expect(notes.some((note) => /unchanged task failed .*stops if the next 5 fail/.test(note))).toBe(true);
  }, 60_000);

  it('goes on after a failed baseline when a trial measures: that trial becomes the incumbent', async () => {
    const moves = [
      params({ X: 0.5 }, 'still crashing'),
      params({ BEHAVIOUR: 'normal' }, 'defaults that run'),
      ...[1, 1.5, 2, 2.5, 3].map((x) => params({ X: x }, `X ${x}`)),
    ];
    const { ended, statuses } = await crashingBaselineRun(moves, 7);
    expect(ended).toBe('finished');
    expect(statuses.slice(0, 3)).toEqual(['crash', 'crash', 'keep']);
    expect(statuses).toHaveLength(8);
  }, 60_000);
});
