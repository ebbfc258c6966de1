// Runtimes for `--mechanisms a,b`: built-ins in process, library mechanisms in the sandbox.
import { BilevelError } from '../core/errors.js';
import { builtinMechanisms, getBuiltinMechanism } from '../mechanisms/builtin/index.js';
import { createInProcessRuntime } from '../mechanisms/in-process-runtime.js';
import type { MechanismOrigin, MechanismRuntime } from '../mechanisms/runtime.js';
import { createSandboxedRuntime, type SandboxOptions } from '../sandbox/sandboxed-runtime.js';
import { getLibraryMechanism, listLibrary } from './library.js';

/** A sandboxed runtime for a stored mechanism; its host process starts on the first call. */
export async function loadLibraryRuntime(
  stateDir: string,
  name: string,
  options: SandboxOptions = {},
): Promise<MechanismRuntime> {
  const stored = getLibraryMechanism(stateDir, name);
  const mechanism = stored.gateReport.mechanism;
  if (!mechanism) {
    throw new BilevelError('STATE_CORRUPT', `library mechanism "${name}" has no gate description`, {
      hint: `Delete ${stored.directory} and add the module again.`,
    });
  }
  return createSandboxedRuntime(stored.compiledJs, { ...mechanism, origin: stored.provenance.origin }, options);
}

/**
 * Checks `--mechanisms` names without loading anything: each a built-in or in the library, none twice. An unknown
 * name is MECHANISM_NOT_FOUND listing both sources; a repeated name is a USAGE error. `run` asks this before it
 * creates a run, so a typo leaves no failed run behind.
 */
export function checkMechanismNames(names: readonly string[], stateDir: string): void {
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw new BilevelError('USAGE', `mechanism "${duplicate}" is listed twice`, {
      hint: 'Name each mechanism once in --mechanisms.',
    });
  }
  const unknown = names.find((name) => !Object.hasOwn(builtinMechanisms, name));
  if (unknown === undefined) return;
  const library = listLibrary(stateDir).map((entry) => entry.name);
  for (const name of names) {
    if (Object.hasOwn(builtinMechanisms, name) || library.includes(name)) continue;
    throw new BilevelError('MECHANISM_NOT_FOUND', `no mechanism named "${name}"`, {
      hint: `Built-in: ${Object.keys(builtinMechanisms).join(', ')}; in the library: ${
        library.join(', ') || 'none'
      } (add one with bilevel mechanisms add FILE.ts).`,
    });
  }
}

/** One runtime per name, in the order given: a built-in name wins (built-in names cannot be added to the library). */
export async function loadMechanismRuntimes(
  names: readonly string[],
  stateDir: string,
  options: SandboxOptions = {},
): Promise<MechanismRuntime[]> {
  checkMechanismNames(names, stateDir);
  const runtimes: MechanismRuntime[] = [];
  try {
    for (const name of names) {
      const builtin = Object.hasOwn(builtinMechanisms, name) ? builtinMechanisms[name] : undefined;
      if (builtin) {
        runtimes.push(createInProcessRuntime(builtin, 'builtin'));
        continue;
      }
      runtimes.push(await loadLibraryRuntime(stateDir, name, options));
    }
  } catch (error) {
    await Promise.all(runtimes.map((runtime) => runtime.dispose()));
    throw error;
  }
  return runtimes;
}

/** A mechanism Level 2 activated: a built-in in process, a library or generated one in the sandbox. */
export async function loadLifecycleRuntime(
  stateDir: string,
  entry: { readonly name: string; readonly origin: MechanismOrigin },
): Promise<MechanismRuntime> {
  return entry.origin === 'builtin'
    ? createInProcessRuntime(getBuiltinMechanism(entry.name), 'builtin')
    : loadLibraryRuntime(stateDir, entry.name);
}
