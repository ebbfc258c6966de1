// Runs a trusted (built-in) mechanism's hooks in this process, holding its state between calls.
import { BilevelError } from '../core/errors.js';
import { type HookName, hookArity, hookInVersion, hookNames } from './hooks.js';
import type { Mechanism, MechanismParam, Value } from './mechanism.js';
import { HookFailure, type MechanismOrigin, type MechanismRuntime } from './runtime.js';

/** An in-process runtime also shows its param declaration (for config defaults) and its current state. */
export interface InProcessRuntime extends MechanismRuntime {
  readonly params: Readonly<Record<string, MechanismParam>>;
  /** A copy of the current state, for tests and resume checks. */
  snapshot(): unknown;
}

type HookFunction = (...args: unknown[]) => unknown;

/**
 * Decision hooks get a deep-frozen copy of the state; `onTrialEnd` gets a mutable copy and the state is
 * replaced only by what it returns. Arguments and results are copied, so a hook shares nothing with the loop.
 */
export function createInProcessRuntime(mechanism: Mechanism, origin: MechanismOrigin = 'builtin'): InProcessRuntime {
  let state: unknown;
  const functions = mechanism as unknown as Record<string, HookFunction | undefined>;
  // A hook newer than the module's revision is not part of its contract (v1 never called `propose`).
  const hooks = new Set(
    hookNames.filter(
      (hook) => typeof functions[hook] === 'function' && hookInVersion(hook, mechanism.specificationVersion),
    ),
  );

  return {
    name: mechanism.name,
    description: mechanism.description,
    origin,
    hooks,
    params: mechanism.params ?? {},
    snapshot: () => structuredClone(state),
    async init(seed: number, config: Readonly<Record<string, Value>>) {
      const initial = guard('init', () => mechanism.init?.({ seed, config: deepFreeze(structuredClone(config)) }));
      state = plainCopy('init', initial);
    },
    async call(hook: HookName, args: readonly unknown[]) {
      if (args.length !== hookArity(hook)) {
        throw new BilevelError('INTERNAL', `${hook} takes ${hookArity(hook)} arguments, got ${args.length}`, {
          hint: 'Call hooks through composeMechanisms, which passes the right arguments.',
        });
      }
      const hookFunction = functions[hook];
      if (hookFunction === undefined) return undefined;
      const frozenArgs = args.map((arg) => deepFreeze(structuredClone(arg)));
      if (hook === 'onTrialEnd') {
        const next = guard(hook, () => hookFunction.call(mechanism, ...frozenArgs, structuredClone(state)));
        if (next !== undefined) state = plainCopy(hook, next);
        return undefined;
      }
      const result = guard(hook, () => hookFunction.call(mechanism, ...frozenArgs, deepFreeze(structuredClone(state))));
      return hook === 'onRunEnd' ? undefined : plainCopy(hook, result);
    },
    async dispose() {
      state = undefined;
    },
  };
}

/** Runs a hook; anything it throws becomes HookFailure('throw') carrying the original message. */
function guard(hook: string, run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new HookFailure('throw', `${hook} threw ${message}`);
  }
}

/** A structured clone, so results are plain data exactly as they would cross a process boundary. */
function plainCopy(hook: string, value: unknown): unknown {
  if (value instanceof Promise)
    throw new HookFailure('invalid-return', `${hook} returned a Promise; hooks are synchronous`);
  try {
    return structuredClone(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HookFailure('invalid-return', `${hook} returned something that is not plain data: ${message}`);
  }
}

/** Freezes a value and everything reachable from it, so a hook cannot change what it was shown. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
