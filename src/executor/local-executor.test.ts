import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalExecutor } from './local-executor.js';

const node = process.execPath;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bilevel-exec-'));
});

/** True once the process no longer exists or only waits to be reaped. */
async function isGoneOrZombie(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function run(script: string, timeoutSeconds = 10, env: Record<string, string> = {}) {
  return createLocalExecutor().execute({
    command: [node, '-e', script],
    cwd: dir,
    env,
    timeoutSeconds,
    logPath: join(dir, `log-${Math.random()}.txt`),
  });
}

describe('local executor', () => {
  it('captures output, exit code and the environment', async () => {
    const result = await run('console.log("budget:", process.env.BILEVEL_BUDGET_SECONDS); process.exit(3)', 10, {
      BILEVEL_BUDGET_SECONDS: '7',
    });
    expect(result.kind).toBe('exited');
    expect(result.exitCode).toBe(3);
    expect(result.logTail).toContain('budget: 7');
    expect(result.summary).toEqual({ budget: '7' });
  });

  it('writes the whole output to the log file', async () => {
    const logPath = join(dir, 'full.log');
    await createLocalExecutor().execute({
      command: [node, '-e', 'console.log("to stdout"); console.error("to stderr")'],
      cwd: dir,
      env: {},
      timeoutSeconds: 10,
      logPath,
    });
    const text = await readFile(logPath, 'utf8');
    expect(text).toContain('to stdout');
    expect(text).toContain('to stderr');
  });

  it('kills a hanging program and its children at the timeout', async () => {
    const started = Date.now();
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('grandchild', child.pid);
      setInterval(() => {}, 1000);`;
    const result = await run(script, 1);
    expect(result.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(8000);
    const grandchild = Number(/grandchild (\d+)/.exec(result.logTail)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await isGoneOrZombie(grandchild)).toBe(true);
  });

  it('reports a program that cannot start as spawn-failed', async () => {
    const result = await createLocalExecutor().execute({
      command: ['/nonexistent/program'],
      cwd: dir,
      env: {},
      timeoutSeconds: 5,
      logPath: join(dir, 'missing.log'),
    });
    expect(result.kind).toBe('spawn-failed');
    expect(result.error).toMatch(/ENOENT/);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const pending = createLocalExecutor().execute({
      command: [node, '-e', 'setInterval(() => {}, 1000)'],
      cwd: dir,
      env: {},
      timeoutSeconds: 30,
      logPath: join(dir, 'abort.log'),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.kind).toBe('aborted');
  });

  it('samples peak memory of a program that allocates', async () => {
    const result = await run('const a = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => console.log(a[0]), 600)');
    expect(result.peakMemoryMb).toBeGreaterThan(150);
  });
});

describe('local executor, output beyond any buffer', () => {
  it('reads a metric line printed after 50 MB of output; the log has everything, the tail stays small', async () => {
    const logPath = join(dir, 'big.log');
    const script = `
      const chunk = 'x'.repeat(1023) + '\\n';
      const block = chunk.repeat(1024);
      for (let i = 0; i < 50; i++) process.stdout.write(block);
      process.stdout.write('val_bpb: 0.912\\n');`;
    const result = await createLocalExecutor().execute({
      command: [node, '-e', script],
      cwd: dir,
      env: {},
      timeoutSeconds: 60,
      logPath,
    });
    expect(result.kind).toBe('exited');
    expect(result.summary.val_bpb).toBe('0.912');
    expect(result.logTail.length).toBeLessThanOrEqual(4096);
    expect(result.logTail).toContain('val_bpb: 0.912');
    expect((await stat(logPath)).size).toBe(50 * 1024 * 1024 + 'val_bpb: 0.912\n'.length);
  });
});
