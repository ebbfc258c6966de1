// Runs a trial's command on this machine, jailed (bubblewrap) or as a plain process group: hard timeout, whole log,
// summary lines read as they arrive, wall time and peak memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bwrapArguments } from './bwrap-arguments.js';
import type { CompanionRequest, ExecutionRequest, ExecutionResult, Executor, JailSpec } from './executor.js';
import { jailPlaceholders } from './jail-placeholders.js';
import { sampleGroupRssMb } from './memory-sampler.js';
import { SummaryLines } from './summary-lines.js';

const tailChars = 4096;
const memorySampleMs = 100;
/** After SIGTERM, how long the group gets before SIGKILL. */
const termGraceMs = 2000;

export function createLocalExecutor(): Executor {
  return { specificationVersion: 'executor-v1', name: 'local', execute };
}

/** The argv that runs `command` in `cwd`, inside `jail` when one is given. */
function launchArgv(command: readonly string[], cwd: string, jail: JailSpec | undefined): string[] {
  if (command.length === 0) throw new RangeError('empty command');
  return jail ? ['bwrap', ...bwrapArguments(jail, cwd, command, jailPlaceholders())] : [...command];
}

async function execute(request: ExecutionRequest): Promise<ExecutionResult> {
  await mkdir(dirname(request.logPath), { recursive: true });
  const log = createWriteStream(request.logPath);
  const started = performance.now();
  const [program, ...args] = launchArgv(request.command, request.cwd, request.jail);
  const companion = request.companion ? await startCompanion(request.companion, request.cwd) : undefined;

  return new Promise<ExecutionResult>((resolve) => {
    let tail = '';
    const summary = new SummaryLines();
    let killedFor: 'timeout' | 'aborted' | undefined;
    let peakMemoryMb: number | null = null;
    const child = spawn(program!, args, {
      cwd: request.cwd,
      env: { ...request.env },
      // A new process group (and session), so the timeout kills the program and everything it started.
      detached: true,
      stdio: companion ? ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) request.onSpawn?.(child.pid);
    if (companion) connect(child, companion.child);
    const capture = (chunk: Buffer): void => {
      log.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-tailChars);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      capture(chunk);
      summary.push(chunk);
    });
    child.stderr?.on('data', capture);

    const stop = (reason: 'timeout' | 'aborted'): void => {
      if (killedFor) return;
      killedFor = reason;
      killGroup(child, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(child, 'SIGKILL'), termGraceMs);
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

    let finished = false;
    const finish = (result: Pick<ExecutionResult, 'kind' | 'exitCode' | 'exitSignal' | 'error'>): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timeoutTimer);
      clearInterval(sampler);
      request.signal?.removeEventListener('abort', onAbort);
      // Whatever the program left running in its group goes too (in a jail: the whole PID namespace with bwrap).
      killGroup(child, 'SIGKILL');
      if (graceTimer) clearTimeout(graceTimer);
      summary.end();
      const done = companion ? companion.stop() : Promise.resolve();
      void done.then(() =>
        log.end(() =>
          resolve({
            ...result,
            wallSeconds: (performance.now() - started) / 1000,
            peakMemoryMb,
            logTail: tail,
            summary: summary.values(),
          }),
        ),
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

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

interface RunningCompanion {
  child: ChildProcess;
  /** Kills its whole tree and waits for its log to be flushed. */
  stop(): Promise<void>;
}

/** Starts the companion with its channel on fds 3 (it reads) and 4 (it writes); its output goes to its own log. */
async function startCompanion(request: CompanionRequest, cwd: string): Promise<RunningCompanion> {
  await mkdir(dirname(request.logPath), { recursive: true });
  const log: WriteStream = createWriteStream(request.logPath);
  const [program, ...args] = launchArgv(request.command, cwd, request.jail);
  const child = spawn(program!, args, {
    cwd,
    env: { ...request.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.on('error', (error) => log.write(`bilevel: the companion could not start: ${error.message}\n`));
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
  return {
    child,
    async stop() {
      killGroup(child, 'SIGKILL');
      await closed;
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

/** Each side's fd 4 (what it writes) feeds the other's fd 3 (what it reads); a side that closes ends the other's input. */
function connect(main: ChildProcess, companion: ChildProcess): void {
  const pair = (from: ChildProcess, to: ChildProcess): void => {
    const source = from.stdio[4] as NodeJS.ReadableStream | null;
    const sink = to.stdio[3] as NodeJS.WritableStream | null;
    if (!source || !sink) return;
    source.pipe(sink);
    // A side that dies mid-write must not take bilevel down with an unhandled EPIPE.
    (sink as unknown as NodeJS.EventEmitter).on('error', () => {});
    (source as unknown as NodeJS.EventEmitter).on('error', () => {});
  };
  pair(main, companion);
  pair(companion, main);
}
