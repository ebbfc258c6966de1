// One sandbox host child process: start it, send one request at a time under a hard deadline, kill it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HookFailure } from '../mechanisms/runtime.js';
import { type HostLimits, hostArguments } from './host-command.js';

/** A request to the host; the reply fields depend on the type. */
export type HostRequest =
  | { readonly type: 'load'; readonly source: string; readonly hooks: readonly string[] }
  | { readonly type: 'init'; readonly seed: number; readonly config: Readonly<Record<string, unknown>> }
  | { readonly type: 'set-state'; readonly state: unknown }
  | { readonly type: 'call'; readonly hook: string; readonly args: readonly unknown[] };

/** A successful reply: `value` for a hook's answer, `declined` for undefined, `state` after init/onTrialEnd. */
export interface HostReply {
  readonly value?: unknown;
  readonly declined?: boolean;
  readonly state?: unknown;
  readonly meta?: unknown;
  /** Resident memory of the host after the request, in bytes. */
  readonly rss: number;
}

interface RawReply extends HostReply {
  readonly id?: number;
  readonly type?: string;
  readonly ok?: boolean;
  readonly kind?: string;
  readonly message?: string;
}

/** How long a fresh host may take to lock down and report ready, in milliseconds (generous: loaded machines). */
const startTimeoutMs = 15_000;
/** How often resident memory is checked while a request runs, in milliseconds. */
const memoryPollMs = 50;
const pageBytes = 4096;

export class HostProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stderrTail = '';
  private nextId = 1;
  private dead = false;
  /** Set the moment the host is sent SIGKILL, before the OS reports the exit. */
  private condemned = false;
  private pending: { resolve: (reply: RawReply) => void; reject: (error: HookFailure) => void } | undefined;

  private constructor(private readonly limits: HostLimits) {
    this.child = spawn(process.execPath, hostArguments(limits), {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      env: {},
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.dead = true;
        this.pending?.reject(
          new HookFailure('crash', `sandbox host exited (${signal ?? `code ${code}`})${this.stderrSuffix()}`),
        );
        this.pending = undefined;
        resolve();
      });
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.child.on('message', (message: RawReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(message);
    });
    this.child.on('error', () => {
      // 'exit' follows or the spawn failed; both surface as a crash through the pending request.
    });
    this.idle();
  }

  /** Starts a host and waits until SES lockdown is done. Rejects with HookFailure('crash') if it cannot start. */
  static async start(limits: HostLimits): Promise<HostProcess> {
    const host = new HostProcess(limits);
    const ready = await host.await(startTimeoutMs);
    if (ready.type !== 'ready') {
      await host.kill();
      throw new HookFailure('crash', 'sandbox host sent no ready message');
    }
    return host;
  }

  get alive(): boolean {
    return !this.dead && !this.condemned;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Sends one request and waits for its reply at most `timeoutMs`. On expiry, on a crash or when the reply says the
   * host broke a limit, the host is killed and the promise rejects with a HookFailure; a hook's own throw or
   * invalid result rejects too (the host survives a throw).
   */
  async request(request: HostRequest, timeoutMs: number): Promise<HostReply> {
    if (!this.alive) throw new HookFailure('crash', 'sandbox host is not running');
    const id = this.nextId++;
    this.child.send({ id, ...request });
    const reply = await this.await(timeoutMs);
    if (reply.id !== id) {
      await this.kill();
      throw new HookFailure('crash', `sandbox host answered request ${String(reply.id)} instead of ${id}`);
    }
    if (reply.ok === true) return reply;
    const message = reply.message ?? 'no message';
    if (reply.kind === 'throw') throw new HookFailure('throw', message);
    await this.kill();
    if (reply.kind === 'invalid-return') throw new HookFailure('invalid-return', message);
    throw new HookFailure('crash', reply.kind === 'memory' ? `memory cap exceeded: ${message}` : message);
  }

  /** Kills the host with SIGKILL and waits until the OS has reaped it. Safe to call twice. */
  async kill(): Promise<void> {
    this.terminate();
    // Keep the event loop alive until the exit is reported (an unref'd child would let Node quit mid-await).
    if (!this.dead) this.child.ref();
    await this.exited;
  }

  private terminate(): void {
    this.condemned = true;
    if (!this.dead) this.child.kill('SIGKILL');
  }

  private await(timeoutMs: number): Promise<RawReply> {
    this.busy();
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const done = new Promise<RawReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      timer = setTimeout(() => {
        this.pending = undefined;
        this.terminate();
        reject(new HookFailure('timeout', `no answer within ${timeoutMs} ms; the sandbox host was killed`));
      }, timeoutMs);
      poll = setInterval(() => {
        if (this.residentBytes() > this.limits.rssLimitMb * 1024 * 1024) {
          this.pending = undefined;
          this.terminate();
          reject(new HookFailure('crash', `memory cap of ${this.limits.rssLimitMb} MiB exceeded; the host was killed`));
        }
      }, memoryPollMs);
    });
    return done.finally(() => {
      clearTimeout(timer);
      clearInterval(poll);
      this.idle();
    });
  }

  /** Resident memory of the child from /proc (Linux); 0 where /proc is absent. */
  private residentBytes(): number {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/statm`, 'utf8').split(' ');
      return Number(fields[1]) * pageBytes;
    } catch {
      // No /proc (not Linux) or the process is gone: the host's own after-call check still applies.
      return 0;
    }
  }

  /** While a request is in flight the child keeps the parent's event loop alive; idle, it does not. */
  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private stderrSuffix(): string {
    if (/heap out of memory|Reached heap limit|ERR_WORKER_OUT_OF_MEMORY/.test(this.stderrTail)) {
      return `: V8 heap cap of ${this.limits.memoryMb} MiB exceeded`;
    }
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return tail ? `: ${tail.slice(0, 500)}` : '';
  }
}
