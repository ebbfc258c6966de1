// One Optuna sidecar process: a study driven by ask-and-tell, one JSON line per request and per reply.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BilevelError } from '../core/errors.js';
import type { OptunaSampler } from '../records/proposer-spec.js';
import { sidecarScript } from './find-python.js';
import type { OptunaSpace } from './search-space.js';

export type ParamValue = number | string | boolean;

/** Seconds one request may take (a GP sampler's ask over many trials is the slowest). */
const requestTimeoutMs = 120_000;
/** Characters of the sidecar's stderr kept for error messages. */
const stderrTail = 4000;

export interface SidecarOptions {
  /** The interpreter (one `findOptunaPython` chose). */
  python: string;
  sampler: OptunaSampler;
  /** The sampler's seed (a 32-bit unsigned integer). */
  seed: number;
  direction: 'minimize' | 'maximize';
  space: OptunaSpace;
}

/** A study as a proposer drives it: ask, tell, add, close (the sidecar, or a fake in tests). */
export interface OptunaStudy {
  ask(fixed: Readonly<Record<string, ParamValue>>): Promise<{ number: number; params: Record<string, ParamValue> }>;
  tell(number: number, value: number | null): Promise<void>;
  add(params: Readonly<Record<string, ParamValue>>, value: number | null): Promise<void>;
  close(): void;
}

/** Starts a sidecar process and creates its study. */
export function startOptunaSidecar(options: SidecarOptions): Promise<OptunaStudy> {
  return OptunaSidecar.start(options);
}

/**
 * Starts the sidecar and creates its study. The process reads requests from its stdin: when bilevel goes away the
 * pipe closes and it exits by itself. Failures (it dies, a request errors or takes too long) are OPTIMIZER_FAILED.
 */
export class OptunaSidecar implements OptunaStudy {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  private queue: Promise<unknown> = Promise.resolve();
  private exited = false;

  private constructor(python: string) {
    this.child = spawn(python, [sidecarScript], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-stderrTail);
    });
    this.child.on('exit', () => {
      this.exited = true;
    });
    this.child.on('error', () => {
      this.exited = true;
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  static async start(options: SidecarOptions): Promise<OptunaSidecar> {
    const sidecar = new OptunaSidecar(options.python);
    try {
      await sidecar.request({
        op: 'create',
        sampler: options.sampler,
        seed: options.seed,
        direction: options.direction,
        space: options.space,
      });
    } catch (error) {
      sidecar.close();
      throw error;
    }
    return sidecar;
  }

  /** A new trial: the sampler's values for every param not in `fixed` (those keep the given values). */
  ask(fixed: Readonly<Record<string, ParamValue>>): Promise<{ number: number; params: Record<string, ParamValue> }> {
    return this.request({ op: 'ask', fixed }) as Promise<{ number: number; params: Record<string, ParamValue> }>;
  }

  /** The outcome of a trial this study asked for: its metric, or a failure (crash, timeout, rejected unrun). */
  async tell(number: number, value: number | null): Promise<void> {
    await this.request({ op: 'tell', number, value, state: value === null ? 'fail' : 'complete' });
  }

  /** A trial another proposer made, with its outcome: the study learns from it as from its own. */
  async add(params: Readonly<Record<string, ParamValue>>, value: number | null): Promise<void> {
    await this.request({ op: 'add', params, value, state: value === null ? 'fail' : 'complete' });
  }

  close(): void {
    if (this.exited) return;
    this.child.stdin.end();
    // A sidecar that does not leave within a second of its stdin closing is stopped.
    setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, 1000).unref();
  }

  private request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const next = this.queue.then(() => this.send(message));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async send(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exited) throw this.failure(`the Optuna sidecar is not running (${message.op})`);
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(this.failure(`the Optuna sidecar did not answer ${message.op} within ${requestTimeoutMs / 1000} s`));
      }, requestTimeoutMs);
    });
    try {
      const line = await Promise.race([this.lines.next(), timeout]);
      if (line.done) throw this.failure(`the Optuna sidecar exited during ${message.op}`);
      const reply = JSON.parse(line.value) as Record<string, unknown>;
      if (reply.ok !== true) throw this.failure(`Optuna failed on ${message.op}: ${String(reply.error)}`);
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }

  private failure(message: string): BilevelError {
    const tail = this.stderr.trim();
    return new BilevelError('OPTIMIZER_FAILED', tail ? `${message}\n${tail}` : message, {
      hint: 'the run can be resumed with `bilevel resume RUN_ID` once the cause is fixed (see the Python error above)',
    });
  }
}
