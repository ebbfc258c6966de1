// Runs a trial's command as a local process group with a hard timeout, captured log, wall time and peak memory.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExecutionRequest, ExecutionResult, Executor } from './executor.js';
import { sampleGroupRssMb } from './memory-sampler.js';

const tailBytes = 4096;
const maxCapturedBytes = 1024 * 1024;
const memorySampleMs = 100;
/** After SIGTERM, how long the group gets before SIGKILL. */
const termGraceMs = 2000;

export function createLocalExecutor(): Executor {
  return { specificationVersion: 'executor-v1', name: 'local', execute };
}

async function execute(request: ExecutionRequest): Promise<ExecutionResult> {
  await mkdir(dirname(request.logPath), { recursive: true });
  const log = createWriteStream(request.logPath);
  const started = performance.now();
  const [program, ...args] = request.command;
  if (program === undefined) throw new RangeError('empty command');

  return new Promise<ExecutionResult>((resolve) => {
    let output = '';
    let stdout = '';
    let killedFor: 'timeout' | 'aborted' | undefined;
    let peakMemoryMb: number | null = null;
    const child = spawn(program, args, {
      cwd: request.cwd,
      env: { ...process.env, ...request.env },
      // A new process group, so the timeout kills the program and everything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) request.onSpawn?.(child.pid);
    const capture = (chunk: Buffer): void => {
      log.write(chunk);
      if (output.length < maxCapturedBytes) output += chunk.toString('utf8');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      capture(chunk);
      if (stdout.length < maxCapturedBytes) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', capture);

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (reason: 'timeout' | 'aborted'): void => {
      if (killedFor) return;
      killedFor = reason;
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup('SIGKILL'), termGraceMs);
    };
    let graceTimer: NodeJS.Timeout | undefined;
    const timeoutTimer = setTimeout(() => stop('timeout'), request.timeoutSeconds * 1000);
    const sampler = setInterval(() => {
      if (child.pid === undefined) return;
      const rss = sampleGroupRssMb(child.pid);
      if (rss !== null && rss > (peakMemoryMb ?? 0)) peakMemoryMb = rss;
    }, memorySampleMs);
    const onAbort = (): void => stop('aborted');
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (
      result: Omit<ExecutionResult, 'wallSeconds' | 'peakMemoryMb' | 'logTail' | 'output' | 'stdout'>,
    ): void => {
      clearTimeout(timeoutTimer);
      clearInterval(sampler);
      request.signal?.removeEventListener('abort', onAbort);
      // Whatever the program left running in its group goes too.
      killGroup('SIGKILL');
      if (graceTimer) clearTimeout(graceTimer);
      log.end(() =>
        resolve({
          ...result,
          wallSeconds: (performance.now() - started) / 1000,
          peakMemoryMb,
          logTail: output.slice(-tailBytes),
          output,
          stdout,
        }),
      );
    };
    child.on('error', (error) => {
      finish({ kind: 'spawn-failed', exitCode: null, exitSignal: null, error: error.message });
    });
    child.on('close', (exitCode, exitSignal) => {
      finish({ kind: killedFor ?? 'exited', exitCode, exitSignal });
    });
  });
}
