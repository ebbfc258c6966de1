import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

function runTrain(cwd: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', tsxLoader, 'train.ts'], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
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

describe('synthetic train.ts as a process', () => {
  it('prints a summary block whose val_bpb readMetric reads, and echoes the budget', () => {
    const result = runTrain(taskDir, { BILEVEL_SEED: '3', BILEVEL_BUDGET_SECONDS: '5' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^---$/m);
    expect(result.stdout).toMatch(/^training_seconds: 5\.0$/m);
    expect(result.stdout).toMatch(/^peak_vram_mb: +44000\.0$/m);
    const metric = readMetric(readSummaryLines(result.stdout), 'val_bpb');
    expect(metric).not.toBeNull();
    expect(Math.abs(metric! - 1.1)).toBeLessThan(0.01);
    expect(readMetric(readSummaryLines(runTrain(taskDir, { BILEVEL_SEED: '3' }).stdout), 'val_bpb')).toBe(metric);
  });

  it('scores a smaller batch written by applyParamValues lower', async () => {
    const dir = await copyWith('small-batch', { TOTAL_BATCH_SIZE: 131072 });
    const result = runTrain(dir, { BILEVEL_SEED: '3' });
    expect(result.status, result.stderr).toBe(0);
    expect(readMetric(readSummaryLines(result.stdout), 'val_bpb')).toBeLessThan(1.08);
  });

  it('diverges with val_bpb: nan and exit 1 when the learning rate is far too high', async () => {
    const dir = await copyWith('diverge', { MATRIX_LR: 0.4 });
    const result = runTrain(dir, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/loss diverged/);
    expect(readMetric(readSummaryLines(result.stdout), 'val_bpb')).toBeNaN();
  });

  it('runs out of memory with no metric and exit 1 when the model is too big', async () => {
    const dir = await copyWith('oom', { DEPTH: 20 });
    const result = runTrain(dir, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/out of memory/);
    expect(readMetric(readSummaryLines(result.stdout), 'val_bpb')).toBeNull();
  });
});
