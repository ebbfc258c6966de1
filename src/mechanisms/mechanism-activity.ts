// What a run records per mechanism: call counts, changed decisions, strikes, and the events behind them.
import { type HookName, perHook } from './hooks.js';
import type { MechanismOrigin, MechanismRuntime } from './runtime.js';

export interface MechanismActivity {
  name: string;
  origin: MechanismOrigin;
  status: 'active' | 'retired';
  retiredReason?: string;
  /** Calls per hook, failed ones included. */
  hookCalls: Record<HookName, number>;
  /** Times the final combined decision differed because of this mechanism's answer. */
  decisionsChanged: number;
  /** Hook failures (throw, timeout, crash, invalid return). */
  strikes: number;
}

export interface MechanismEvent {
  kind: 'decision-changed' | 'strike' | 'retired';
  trialIndex: number;
  mechanism: string;
  /** Absent for failures outside a hook (init) and for retirements asked for by the caller. */
  hook?: HookName;
  /** The decision without this mechanism's answer, and with it. */
  before?: unknown;
  after?: unknown;
  detail?: string;
}

/** One hook call as measured, for timing statistics. */
export interface HookCallRecord {
  mechanism: string;
  hook: HookName;
  trialIndex: number;
  /** Wall time of the call, in milliseconds. */
  durationMs: number;
  result: 'answer' | 'decline' | 'failure';
  /** The validated answer (absent for declines, failures and observers). */
  answer?: unknown;
}

/** Zero counts for a newly activated mechanism. */
export function freshActivity(runtime: MechanismRuntime): MechanismActivity {
  return {
    name: runtime.name,
    origin: runtime.origin,
    status: 'active',
    hookCalls: perHook(() => 0),
    decisionsChanged: 0,
    strikes: 0,
  };
}
