// Turns --isolation (auto, jail, none) into how this session's trials run: jailed, or unjailed and why.
import { BilevelError } from '../core/errors.js';
import { probeJail } from '../executor/jail-probe.js';
import type { TrialIsolation } from '../records/trial-isolation.js';

/** `jail` without a working jail is JAIL_UNAVAILABLE (exit 2), with what to install; `auto` falls back, saying why. */
export function resolveIsolation(mode: 'auto' | 'jail' | 'none'): TrialIsolation {
  if (mode === 'none') return { mode: 'none', reason: 'turned off with --isolation none' };
  const probe = probeJail();
  if (probe.available) return { mode: 'jail' };
  if (mode === 'jail') {
    throw new BilevelError('JAIL_UNAVAILABLE', `--isolation jail: ${probe.reason}`, { hint: probe.hint });
  }
  return { mode: 'none', reason: `${probe.reason} (${probe.hint})` };
}

/** The one line a run prints at start when its trials are not jailed; empty when they are. */
export function isolationNotice(isolation: TrialIsolation): string {
  return isolation.mode === 'jail'
    ? ''
    : `trials run unjailed: ${isolation.reason}; LLM-written code can read your files and use the network`;
}
