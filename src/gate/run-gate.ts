// The gate for any mechanism module not shipped with bilevel: every stage in order, one model-readable report.

import { performance } from 'node:perf_hooks';
import { sha256 } from '../core/hash.js';
import type { HookName } from '../mechanisms/hooks.js';
import { defaultHookTimeoutMs } from '../mechanisms/hooks.js';
import type { MechanismParam } from '../mechanisms/mechanism.js';
import type { RecordedTrace } from '../mechanisms/recorded-trace.js';
import { replayTrace } from '../mechanisms/replay.js';
import { HookFailure, type MechanismRuntime } from '../mechanisms/runtime.js';
import { makeSyntheticTrace, syntheticScenarios } from '../mechanisms/synthetic-trace.js';
import { loadSandboxedMechanism, type SandboxOptions } from '../sandbox/sandboxed-runtime.js';
import { compileMechanism } from './compile-mechanism.js';
import { type ConformanceSummary, checkConformance } from './conformance-stage.js';
import { failFast } from './fail-fast-runtime.js';
import { scanMechanism } from './static-scan.js';
import { typeCheckMechanism } from './type-check.js';

export type GateStage = 'type-check' | 'static-scan' | 'compile' | 'load' | 'conformance' | 'replay';

export interface GateReplaySummary {
  /** Decisions the mechanism would change, summed over the traces. */
  readonly decisionsChanged: number;
  /** True when it would change nothing: it never acts on this kind of run. */
  readonly inert: boolean;
  readonly traces: readonly { readonly name: string; readonly decisionsChanged: number; readonly failures: number }[];
}

export interface GateReport {
  /** True when every stage passed (an inert mechanism passes only with allowInert). */
  readonly ok: boolean;
  /** The last stage that ran: the failing one when ok is false. */
  readonly stageReached: GateStage;
  /** Every problem found, one line each (`file.ts:LINE:COL …` where a position is known), for a person or a model. */
  readonly problems: readonly string[];
  /** What the module says about itself, once it loaded. */
  readonly mechanism?: {
    readonly name: string;
    readonly description: string;
    readonly hooks: readonly HookName[];
    readonly params?: Readonly<Record<string, MechanismParam>>;
  };
  readonly conformance?: ConformanceSummary;
  readonly replay?: GateReplaySummary;
  /** Hex SHA-256 of the module source. */
  readonly sourceSha256: string;
  /** The sandbox script, when compilation succeeded. */
  readonly compiledJs?: string;
  /** Wall time per stage, in milliseconds. */
  readonly timings: Readonly<Partial<Record<GateStage, number>>>;
}

export interface GateOptions extends SandboxOptions {
  /** The run's recorded trials to replay; default: bilevel's synthetic traces (repeats, plateau, crash-streak). */
  readonly trace?: RecordedTrace;
  /** Shown in problem lines. */
  readonly fileName?: string;
  /** Pass a mechanism that would change no decision on the trace (still reported as inert). */
  readonly allowInert?: boolean;
  readonly origin?: 'library' | 'generated';
}

/** The problem line for an inert mechanism. */
export const inertProblem = 'inert: would change 0 decisions on the recorded trace';

/**
 * Type-check and static scan (both always run, so every static problem is listed at once) → compile → load in the
 * sandbox → conformance → replay. Stops at the first failing stage. Never runs the module in this process.
 */
export async function runGate(source: string, options: GateOptions = {}): Promise<GateReport> {
  const fileName = options.fileName ?? 'mechanism.ts';
  const timings: Partial<Record<GateStage, number>> = {};
  const base = { sourceSha256: sha256(source), timings };
  const timed = async <T>(stage: GateStage, work: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = Math.round((performance.now() - started) * 10) / 10;
    }
  };

  const typeCheck = await timed('type-check', () => typeCheckMechanism(source, fileName));
  const scan = await timed('static-scan', () => scanMechanism(source, fileName));
  if (!typeCheck.ok || !scan.ok) {
    const problems = [
      ...typeCheck.problems.map((problem) => problem.text),
      ...scan.findings.map((finding) => finding.text),
    ];
    return { ...base, ok: false, stageReached: typeCheck.ok ? 'static-scan' : 'type-check', problems };
  }

  const compiled = await timed('compile', () => compileMechanism(source, fileName));
  if (!compiled.ok) return { ...base, ok: false, stageReached: 'compile', problems: compiled.problems };
  const withCode = { ...base, compiledJs: compiled.compiledJs };

  let loaded: Awaited<ReturnType<typeof loadSandboxedMechanism>>;
  try {
    loaded = await timed('load', () =>
      loadSandboxedMechanism(compiled.compiledJs, options.origin ?? 'generated', options),
    );
  } catch (error) {
    if (!(error instanceof HookFailure)) throw error;
    return { ...withCode, ok: false, stageReached: 'load', problems: [`load: ${error.kind}: ${error.message}`] };
  }
  const { meta } = loaded;
  const runtime = failFast(loaded.runtime);
  const mechanism = { name: meta.name, description: meta.description, hooks: meta.hooks, params: meta.params };
  try {
    const conformance = await timed('conformance', () => checkConformance(runtime, options));
    if (!conformance.ok) {
      return {
        ...withCode,
        mechanism,
        conformance,
        ok: false,
        stageReached: 'conformance',
        problems: conformance.problems,
      };
    }
    const replay = await timed('replay', () => replayAll(runtime, options));
    const problems = [...replay.problems];
    if (replay.summary.inert && !options.allowInert) problems.push(inertProblem);
    return {
      ...withCode,
      mechanism,
      conformance,
      replay: replay.summary,
      ok: problems.length === 0,
      stageReached: 'replay',
      problems,
    };
  } finally {
    await runtime.dispose();
  }
}

/** Replays the given trace, or each synthetic trace; failures during replay are problems too. */
async function replayAll(
  runtime: MechanismRuntime,
  options: GateOptions,
): Promise<{ summary: GateReplaySummary; problems: string[] }> {
  const traces = options.trace
    ? [{ name: options.trace.task.name, trace: options.trace }]
    : syntheticScenarios.map((scenario) => ({ name: `synthetic-${scenario}`, trace: makeSyntheticTrace(scenario) }));
  const problems: string[] = [];
  const perTrace: { name: string; decisionsChanged: number; failures: number }[] = [];
  for (const { name, trace } of traces) {
    const report = await replayTrace(runtime, trace, { hookTimeoutMs: options.hookTimeoutMs ?? defaultHookTimeoutMs });
    perTrace.push({ name, decisionsChanged: report.decisionsChanged, failures: report.failures.length });
    problems.push(...report.failures.slice(0, 10).map((failure) => `replay ${name}: ${failure}`));
  }
  const decisionsChanged = perTrace.reduce((sum, entry) => sum + entry.decisionsChanged, 0);
  return { summary: { decisionsChanged, inert: decisionsChanged === 0, traces: perTrace }, problems };
}
