// Measures the inner loop's own overhead per trial (everything but the task's process), early and late in a long run.
// Usage: npx tsx bench/loop-overhead.ts [--trials 2000]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionRequest, Executor } from '../src/executor/executor.js';
import { createLocalExecutor } from '../src/executor/local-executor.js';
import { createRandomProposer } from '../src/inner/random-proposer.js';
import { driveRun } from '../src/inner/run-loop.js';
import { createRun, openSession } from '../src/run/open-run.js';
import { openDatabase } from '../src/storage/database.js';
import { loadTask } from '../src/task/load-task.js';

const trialsFlag = process.argv.indexOf('--trials');
const trials = trialsFlag > 0 ? Number(process.argv[trialsFlag + 1]) : 2000;
const windows: (readonly [number, number])[] =
  trials > 100
    ? [
        [1, 100],
        [trials - 99, trials],
      ]
    : [[1, trials]];

const local = createLocalExecutor();
const executionMs = new Map<number, number>();
const timed: Executor = {
  specificationVersion: 'executor-v1',
  name: 'timed-local',
  async execute(request: ExecutionRequest) {
    const started = performance.now();
    const result = await local.execute(request);
    const index = Number(request.env.BILEVEL_TRIAL);
    executionMs.set(index, (executionMs.get(index) ?? 0) + performance.now() - started);
    return result;
  },
};

const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-bench-'));
const database = openDatabase(stateDir);
const task = await loadTask(fileURLToPath(new URL('./fixtures/quadratic', import.meta.url)));
const { run } = await createRun(
  database,
  stateDir,
  {
    task: task.dir,
    levels: ['1'],
    proposer: 'random',
    trials,
    budgetSeconds: 1,
    timeoutSeconds: 10,
    mode: 'params',
    seed: 1,
    mechanisms: [],
    outerEvery: 5,
    noiseThreshold: 0,
    historyLimit: 200,
    proposalAttempts: 2,
    fixAttempts: 1,
  },
  task,
);
const trialStart = new Map<number, number>();
const totalMs = new Map<number, number>();
const session = await openSession(
  database,
  stateDir,
  { run, task },
  {
    proposer: createRandomProposer(),
    executor: timed,
    signal: new AbortController().signal,
    onProgress(event) {
      if (event.type === 'trial-start') trialStart.set(event.index, performance.now());
      if (event.type === 'trial-end') {
        totalMs.set(event.trial.index, performance.now() - (trialStart.get(event.trial.index) ?? 0));
        if (event.trial.index % 250 === 0) process.stderr.write(`trial ${event.trial.index}/${trials}\n`);
      }
    },
  },
);
const started = performance.now();
await driveRun(session);
const wallSeconds = (performance.now() - started) / 1000;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { mean: values.reduce((s, v) => s + v, 0) / values.length, median: at(0.5), p95: at(0.95) };
}

console.log(
  `loop overhead per trial (ms): trial wall time minus the task process's wall time; ${trials} trials, ${wallSeconds.toFixed(0)} s total`,
);
console.log('trials        mean   median    p95   (task process: mean)');
for (const [from, to] of windows) {
  const overhead: number[] = [];
  const execution: number[] = [];
  for (let index = from; index <= to; index++) {
    overhead.push((totalMs.get(index) ?? 0) - (executionMs.get(index) ?? 0));
    execution.push(executionMs.get(index) ?? 0);
  }
  const o = stats(overhead);
  console.log(
    `${`${from}-${to}`.padEnd(12)} ${o.mean.toFixed(1).padStart(6)} ${o.median.toFixed(1).padStart(7)} ${o.p95.toFixed(1).padStart(6)}   (${stats(execution).mean.toFixed(1)})`,
  );
}
database.close();
