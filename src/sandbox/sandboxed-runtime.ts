// A MechanismRuntime whose hooks run in a sandbox host process; a timeout, crash or bad result restarts the host.
import { BilevelError } from '../core/errors.js';
import { SerialLock } from '../core/serial-lock.js';
import { defaultHookTimeoutMs, type HookName, hookArity, hookNames } from '../mechanisms/hooks.js';
import type { MechanismParam, Value } from '../mechanisms/mechanism.js';
import { HookFailure, type MechanismRuntime } from '../mechanisms/runtime.js';
import { HostProcess } from './host-process.js';
import { type LoadedMechanismMeta, parseLoadedMeta } from './loaded-meta.js';

export interface SandboxOptions {
  /** Hard limit per hook call (and per module load), in milliseconds; default: the hook table's. */
  readonly hookTimeoutMs?: number;
  /** V8 heap cap of the host process, in MiB. Default 128. */
  readonly memoryMb?: number;
}

export interface SandboxedMechanismMeta {
  readonly name: string;
  readonly description: string;
  readonly origin: 'library' | 'generated';
  readonly hooks: readonly HookName[];
  /** The module's param declarations (compose reads them for config defaults). */
  readonly params?: Readonly<Record<string, MechanismParam>>;
}

/** Resident memory allowed on top of the heap cap, in MiB: Node, SES and the module itself. */
const residentOverheadMb = 160;

/**
 * Runs `compiledJs` (the output of compileMechanism) in a sandbox host started on the first call. The state lives in
 * the host; the runtime mirrors the last state the host reported (plain data) so that a restarted host resumes
 * from it: init's seed and config plus that state stand in for replaying every onTrialEnd.
 */
export async function createSandboxedRuntime(
  compiledJs: string,
  meta: SandboxedMechanismMeta,
  options: SandboxOptions = {},
): Promise<MechanismRuntime> {
  return new SandboxedRuntime(compiledJs, meta, options);
}

/**
 * Starts a host now, loads the module and reads its name, description and hooks from it (the gate's "load" stage).
 * Rejects with a HookFailure when the module does not load.
 */
export async function loadSandboxedMechanism(
  compiledJs: string,
  origin: 'library' | 'generated',
  options: SandboxOptions = {},
): Promise<{ runtime: MechanismRuntime; meta: LoadedMechanismMeta }> {
  const runtime = new SandboxedRuntime(compiledJs, { name: '', description: '', origin, hooks: [] }, options);
  try {
    const meta = await runtime.start();
    runtime.adopt(meta);
    return { runtime, meta };
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
}

class SandboxedRuntime implements MechanismRuntime {
  name: string;
  description: string;
  readonly origin: 'library' | 'generated';
  hooks: ReadonlySet<HookName>;
  params: Readonly<Record<string, MechanismParam>>;
  private host: HostProcess | undefined;
  private starting: Promise<LoadedMechanismMeta> | undefined;
  private readonly lock = new SerialLock();
  private initialized = false;
  /** The state as the host last reported it (plain data); undefined before init or for stateless mechanisms. */
  private stateMirror: unknown;
  private readonly hookTimeoutMs: number;
  private readonly memoryMb: number;

  constructor(
    private readonly compiledJs: string,
    meta: SandboxedMechanismMeta,
    options: SandboxOptions,
  ) {
    this.name = meta.name;
    this.description = meta.description;
    this.origin = meta.origin;
    this.hooks = new Set(meta.hooks);
    this.params = meta.params ?? {};
    this.hookTimeoutMs = options.hookTimeoutMs ?? defaultHookTimeoutMs;
    this.memoryMb = options.memoryMb ?? 128;
  }

  adopt(meta: LoadedMechanismMeta): void {
    this.name = meta.name;
    this.description = meta.description;
    this.hooks = new Set(meta.hooks);
    this.params = meta.params ?? {};
  }

  init(seed: number, config: Readonly<Record<string, Value>>): Promise<void> {
    return this.serialized(() => this.initNow(seed, config));
  }

  call(hook: HookName, args: readonly unknown[]): Promise<unknown> {
    return this.serialized(() => this.callNow(hook, args));
  }

  /**
   * One request at a time, in call order. A caller that gave up waiting (compose's own timer) may call again at once;
   * the new call waits until the abandoned one has finished or been killed.
   */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run(work);
  }

  private async initNow(seed: number, config: Readonly<Record<string, Value>>): Promise<void> {
    const host = await this.ready();
    const reply = await host.request({ type: 'init', seed, config }, this.hookTimeoutMs);
    this.stateMirror = reply.state;
    this.initialized = true;
  }

  private async callNow(hook: HookName, args: readonly unknown[]): Promise<unknown> {
    if (args.length !== hookArity(hook)) {
      throw new BilevelError('INTERNAL', `${hook} takes ${hookArity(hook)} arguments, got ${args.length}`, {
        hint: 'Call hooks through composeMechanisms, which passes the right arguments.',
      });
    }
    if (!this.hooks.has(hook)) return undefined;
    const host = await this.ready();
    const reply = await host.request({ type: 'call', hook, args }, this.hookTimeoutMs);
    if (hook === 'onTrialEnd') {
      this.stateMirror = reply.state;
      return undefined;
    }
    if (hook === 'onRunEnd' || reply.declined) return undefined;
    return reply.value;
  }

  /** An answer of this module failed validation: restart the host like after any invalid return (the module may be in a bad state). */
  reset(): Promise<void> {
    return this.serialized(async () => {
      await this.host?.kill();
    });
  }

  /** Kills the host now (an in-flight call fails as a crash); a later call would start a fresh one. */
  async dispose(): Promise<void> {
    await this.host?.kill();
    await this.lock.run(async () => undefined);
    await this.starting?.catch(() => undefined);
    const host = this.host;
    this.host = undefined;
    await host?.kill();
  }

  /** Starts a host and loads the module; resolves with what the module says about itself. */
  start(): Promise<LoadedMechanismMeta> {
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch(): Promise<LoadedMechanismMeta> {
    const host = await HostProcess.start({
      memoryMb: this.memoryMb,
      rssLimitMb: this.memoryMb + residentOverheadMb,
      maxResultChars: 1_000_000,
    });
    try {
      const reply = await host.request({ type: 'load', source: this.compiledJs, hooks: hookNames }, this.hookTimeoutMs);
      const meta = parseLoadedMeta(reply.meta);
      if (this.initialized && this.stateMirror !== undefined) {
        await host.request({ type: 'set-state', state: this.stateMirror }, this.hookTimeoutMs);
      }
      this.host = host;
      return meta;
    } catch (error) {
      await host.kill();
      throw error;
    }
  }

  /** The live host, restarting it (load + restore state) when the last one was killed or died. */
  private async ready(): Promise<HostProcess> {
    if (this.host?.alive) return this.host;
    this.host = undefined;
    await this.start();
    if (!this.host) throw new HookFailure('crash', 'sandbox host did not start');
    return this.host;
  }
}
