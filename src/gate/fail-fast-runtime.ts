// A gate-only wrapper: after one timeout or crash, every later call fails at once instead of waiting out its limit.
import type { HookName } from '../mechanisms/hooks.js';
import type { Value } from '../mechanisms/mechanism.js';
import { HookFailure, type MechanismRuntime } from '../mechanisms/runtime.js';

/**
 * The conformance suite and the replays call hooks dozens of times; a module that loops or blows its memory cap
 * would cost a full time limit (and a host restart) on each. The first such failure is enough to refuse it, so later
 * calls are answered with a HookFailure of the same kind that says they were skipped. An invalid return skips only
 * later calls of the same hook, so each hook's first problem is still listed.
 */
export function failFast(runtime: MechanismRuntime): MechanismRuntime {
  let tripped: HookFailure | undefined;
  /** Hooks that already returned something invalid: each costs a host restart, once is enough to know. */
  const invalidHooks = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  const guarded = <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      if (tripped) throw new HookFailure(tripped.kind, `${label} skipped after an earlier ${tripped.kind}`);
      if (invalidHooks.has(label))
        throw new HookFailure('invalid-return', `${label} skipped: it returned garbage before`);
      try {
        return await work();
      } catch (error) {
        if (error instanceof HookFailure && (error.kind === 'timeout' || error.kind === 'crash')) tripped = error;
        if (error instanceof HookFailure && error.kind === 'invalid-return') invalidHooks.add(label);
        throw error;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  return Object.assign(Object.create(runtime) as MechanismRuntime, {
    init: (seed: number, config: Readonly<Record<string, Value>>) => guarded('init', () => runtime.init(seed, config)),
    call: (hook: HookName, args: readonly unknown[]) => guarded(hook, () => runtime.call(hook, args)),
    dispose: () => runtime.dispose(),
  });
}
