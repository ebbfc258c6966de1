import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummaryLines } from '../../src/executor/summary-lines.js';
import { loadTask } from '../../src/task/load-task.js';
import { applyParamValues } from '../../src/task/param-files.js';
import { readMetric } from '../../src/task/read-metric.js';
import type { ParamValue } from '../../src/task/task-definition.js';

const taskDir = fileURLToPath(new URL('.', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const scratch = mkdtempSync(join(tmpdir(), 'bilevel-synthetic-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** train.ts then score.mjs, as a trial runs them: the constants pass through a fresh output folder. */
function runTrial(cwd: string, env: Record<string, string>) {
  const output = mkdtempSync(join(scratch, 'output-'));
  const options = { cwd, env: { ...process.env, ...env, BILEVEL_OUTPUT_DIR: output }, encoding: 'utf8' as const };
  const train = spawnSync(process.execPath, ['--import', tsxLoader, 'train.ts'], { ...options, timeout: 30_000 });
  const score = spawnSync(process.execPath, ['score.mjs'], { ...options, timeout: 30_000 });
  return { train, score, output };
}

/** A copy of the task with `values` written into train.ts the way the loop writes them. */
async function copyWith(label: string, values: Record<string, ParamValue>): Promise<string> {
  const dir = join(scratch, label);
  cpSync(taskDir, dir, { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  const task = await loadTask(dir);
  const applied = await applyParamValues(dir, task, values);
  if (!applied.ok) throw new Error(applied.reason);
  return dir;
}

const metricOf = (stdout: string) => readMetric(readSummaryLines(stdout), 'val_bpb');

describe('synthetic train.ts and its evaluator as processes', () => {
  it('train.ts writes the constants; score.mjs prints a summary block whose val_bpb is read, echoing the budget', () => {
    const { train, score, output } = runTrial(taskDir, { BILEVEL_SEED: '3', BILEVEL_BUDGET_SECONDS: '5' });
    expect(train.status, train.stderr).toBe(0);
    expect(metricOf(train.stdout)).toBeNull();
    expect(JSON.parse(readFileSync(join(output, 'constants.json'), 'utf8'))).toMatchObject({ DEPTH: 8, HEAD_DIM: 128 });
    expect(score.status, score.stderr).toBe(0);
    expect(score.stdout).toMatch(/^---$/m);
    expect(score.stdout).toMatch(/^training_seconds: 5\.0$/m);
    expect(score.stdout).toMatch(/^peak_vram_mb: +44000\.0$/m);
    const metric = metricOf(score.stdout);
    expect(Math.abs(metric! - 1.1)).toBeLessThan(0.01);
    expect(metricOf(runTrial(taskDir, { BILEVEL_SEED: '3' }).score.stdout)).toBe(metric);
  });

  it('scores a smaller batch written by applyParamValues lower', async () => {
    const dir = await copyWith('small-batch', { TOTAL_BATCH_SIZE: 131072 });
    const { score } = runTrial(dir, { BILEVEL_SEED: '3' });
    expect(score.status, score.stderr).toBe(0);
    expect(metricOf(score.stdout)).toBeLessThan(1.08);
  });

  it('diverges with val_bpb: nan and exit 1 when the learning rate is far too high', async () => {
    const dir = await copyWith('diverge', { MATRIX_LR: 0.4 });
    const { score } = runTrial(dir, {});
    expect(score.status).toBe(1);
    expect(score.stderr).toMatch(/loss diverged/);
    expect(metricOf(score.stdout)).toBeNaN();
  });

  it('runs out of memory with no metric and exit 1 when the model is too big', async () => {
    const dir = await copyWith('oom', { DEPTH: 20 });
    const { score } = runTrial(dir, {});
    expect(score.status).toBe(1);
    expect(score.stderr).toMatch(/out of memory/);
    expect(metricOf(score.stdout)).toBeNull();
  });

  it('refuses missing constants and ignores extra keys (they cannot reseed the noise)', () => {
    const output = join(scratch, 'hand-written');
    mkdirSync(output, { recursive: true });
    const env = { ...process.env, BILEVEL_OUTPUT_DIR: output, BILEVEL_SEED: '3' };
    const score = () => spawnSync(process.execPath, ['score.mjs'], { cwd: taskDir, env, encoding: 'utf8' });
    writeFileSync(join(output, 'constants.json'), '{"DEPTH": 8}');
    expect(score().stderr).toMatch(/lacks HEAD_DIM/);
    const { output: written } = runTrial(taskDir, { BILEVEL_SEED: '3' });
    const constants = JSON.parse(readFileSync(join(written, 'constants.json'), 'utf8'));
    writeFileSync(join(output, 'constants.json'), JSON.stringify(constants));
    const plain = metricOf(score().stdout);
    writeFileSync(join(output, 'constants.json'), JSON.stringify({ ...constants, LUCKY: 7 }));
    expect(metricOf(score().stdout)).toBe(plain);
  });
});
