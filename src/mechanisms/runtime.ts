// Where a mechanism's hooks execute: in-process for built-ins, in the sandbox host for everything else.
import type { HookName } from './hooks.js';
import type { Value } from './mechanism.js';

export type MechanismOrigin = 'builtin' | 'library' | 'generated';

/**
 * One loaded mechanism, ready to call. Implementations: in-process (built-ins) and sandboxed (everything
 * else). Arguments and results are plain data (structured-clone-able). State lives inside the runtime.
 */
export interface MechanismRuntime {
  readonly name: string;
  readonly description: string;
  readonly origin: MechanismOrigin;
  /** Hooks the mechanism defines. */
  readonly hooks: ReadonlySet<HookName>;
  /** Calls `init` (or resets state to undefined when absent). Called at start and before a replay. */
  init(seed: number, config: Readonly<Record<string, Value>>): Promise<void>;
  /**
   * Calls one hook with plain-data arguments (the state is supplied by the runtime). Rejects with a
   * HookFailure when the hook throws, times out or the host dies; the caller counts a strike.
   */
  call(hook: HookName, args: readonly unknown[]): Promise<unknown>;
  /**
   * Optional: one of its answers failed validation. A sandboxed runtime restarts its host (the module may be in a
   * bad state); the next call resumes from the last state it reported.
   */
  reset?(): Promise<void>;
  /** Releases the host process, if any. */
  dispose(): Promise<void>;
}

/** Why a hook call failed: the mechanism's fault, not the loop's. */
export class HookFailure extends Error {
  override readonly name = 'HookFailure';
  constructor(
    readonly kind: 'throw' | 'timeout' | 'crash' | 'invalid-return',
    message: string,
  ) {
    super(message);
  }
}
