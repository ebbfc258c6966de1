// Measures how trials per hour scale with workers: a task whose trial sleeps a fixed 2 s, 32 trials at 1, 2, 4 and
// 8 local workers. (8 workers through a Redis queue, which issue 15 also asks for, are not measured: no queue yet.)
// Usage: npx tsx bench/parallel-scaling.ts [--trials 32] [--workers 1,2,4,8]
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const trials = Number(flag('--trials', '32'));
const workerCounts = flag('--workers', '1,2,4,8').split(',').map(Number);
const bin = fileURLToPath(new URL('../bin/bilevel.js', import.meta.url));
const task = fileURLToPath(new URL('./fixtures/sleep', import.meta.url));

/**
 * Runs `bilevel run` to the end and returns the seconds from the baseline's record to the end: the trials after the
 * baseline, which is what workers share (the baseline always runs alone).
 */
async function timedRun(args: readonly string[]): Promise<number> {
  const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-scaling-'));
  let baselineAt: number | undefined;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', ...args, '--state-dir', stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (baselineAt === undefined && /^trial +0\//m.test(chunk.toString())) baselineAt = performance.now();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`bilevel run exited ${code}`))));
  });
  if (baselineAt === undefined) throw new Error('no baseline line in the run output');
  return (performance.now() - baselineAt) / 1000;
}

const common = ['--task', task, '--proposer', 'random', '--trials', String(trials), '--seed', '1'];
const rows: { label: string; workers: number; seconds: number }[] = [];
for (const workers of workerCounts) {
  const seconds = await timedRun([...common, '--workers', String(workers)]);
  rows.push({ label: `${workers} local`, workers, seconds });
  process.stderr.write(`${workers} local workers: ${seconds.toFixed(1)} s\n`);
}

const perHour = (seconds: number): number => (trials / seconds) * 3600;
const single = rows.find((row) => row.workers === 1);
console.log(`| workers | wall s for ${trials} trials (after the baseline) | trials/hour | efficiency |`);
console.log('| --- | --- | --- | --- |');
for (const row of rows) {
  const efficiency = single ? perHour(row.seconds) / (row.workers * perHour(single.seconds)) : Number.NaN;
  console.log(
    `| ${row.label} | ${row.seconds.toFixed(1)} | ${perHour(row.seconds).toFixed(0)} | ${efficiency.toFixed(2)} |`,
  );
}
