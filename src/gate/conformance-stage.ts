// Gate stage 5: the conformance suite shared with the built-ins, run against the sandboxed runtime.

import { type ConformanceCheck, runConformance } from '../mechanisms/conformance.js';
import { defaultHookTimeoutMs } from '../mechanisms/hooks.js';
import type { RecordedTrace } from '../mechanisms/recorded-trace.js';
import type { MechanismRuntime } from '../mechanisms/runtime.js';

export interface ConformanceSummary {
  readonly ok: boolean;
  /** One line per failed check, written for a model to act on. */
  readonly problems: readonly string[];
  readonly checks: readonly ConformanceCheck[];
}

/** Runs the suite (empty history, valid shapes, determinism, time limit) with the sandbox's per-call limit. */
export async function checkConformance(
  runtime: MechanismRuntime,
  options: { readonly trace?: RecordedTrace; readonly hookTimeoutMs?: number },
): Promise<ConformanceSummary> {
  const report = await runConformance(runtime, {
    trace: options.trace,
    hookTimeoutMs: options.hookTimeoutMs ?? defaultHookTimeoutMs,
  });
  const failed = report.checks.filter((check) => !check.passed);
  return {
    ok: report.passed,
    problems: failed.map((check) => `conformance ${check.name}: ${check.message}`),
    checks: report.checks,
  };
}
