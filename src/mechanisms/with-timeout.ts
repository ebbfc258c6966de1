// Races a hook call against a timer; the timer is always cleared.
import type { HookName } from './hooks.js';
import { HookFailure } from './runtime.js';

/** Races a call against a timer that is always cleared; past the limit the call counts as a timeout. */
export async function withTimeout<T>(promise: Promise<T>, limitMs: number | undefined, hook: HookName): Promise<T> {
  if (limitMs === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HookFailure('timeout', `${hook} did not answer within ${limitMs} ms`)),
      limitMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
