// Feeds a recorded run through mechanisms: counts what they would change (replay) or rebuilds their state (resume).

import { BilevelError } from '../core/errors.js';
import { basePromptParts, buildMechanismContext, type ContextSource } from './build-context.js';
import { type ComposedMechanisms, composeMechanisms, type HookCallRecord, type MechanismEvent } from './compose.js';
import type { HookName } from './hooks.js';
import type { MechanismContext, Value } from './mechanism.js';
import { type RecordedTrace, type RecordedTrial, toTrialRecordView } from './recorded-trace.js';
import { HookFailure, type MechanismRuntime } from './runtime.js';

export interface ReplayOptions {
  /** Overrides of the mechanism's params. */
  config?: Readonly<Record<string, Value>>;
  /** Per-call limit in milliseconds (a slower call is a failure). */
  hookTimeoutMs?: number;
  /** Strikes before the mechanism is retired mid-replay; default: never, so every failure is listed. */
  maxStrikes?: number;
}

/** One combined decision of the replay, in call order (what determinism is judged on). */
export interface ReplayDecision {
  trialIndex: number;
  hook: HookName;
  result: unknown;
}

export interface ReplayReport {
  mechanism: string;
  /** Trials fed through (the baseline included). */
  trials: number;
  hookCalls: Record<HookName, number>;
  /** Decisions that would differ from the recorded default ones. */
  decisionsChanged: number;
  byHook: Record<HookName, { calls: number; changed: number }>;
  /** True when it would change nothing on this trace. */
  inert: boolean;
  /** Each failed call: `trial N, hook: kind: message`. */
  failures: string[];
  decisions: ReplayDecision[];
  /** Every call in order with the mechanism's own answer (undefined = declined), for determinism checks. */
  answers: { trialIndex: number; hook: HookName; answer: unknown }[];
  events: MechanismEvent[];
  /** Slowest call, in milliseconds. */
  maxCallMs: number;
  retired: boolean;
}

/** Walks the trace: before each non-baseline trial the decision hooks, then onTrialEnd; onRunEnd at the end. */
export async function replayTrace(
  runtime: MechanismRuntime,
  trace: RecordedTrace,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const events: MechanismEvent[] = [];
  const calls: HookCallRecord[] = [];
  const decisions: ReplayDecision[] = [];
  const composed = composeMechanisms([runtime], {
    maxStrikes: options.maxStrikes ?? Number.POSITIVE_INFINITY,
    hookTimeoutMs: options.hookTimeoutMs,
    onEvent: (event) => events.push(event),
    onHookCall: (record) => calls.push(record),
  });
  const note = (trialIndex: number, hook: HookName, result: unknown) => decisions.push({ trialIndex, hook, result });

  await composed.init(trace.seed, { [runtime.name]: options.config ?? {} });
  for (const [position, trial] of trace.trials.entries()) {
    if (trial.index > 0) {
      const context = decisionContext(trace, trial);
      // shouldStop is asked right after the previous trial, before the boundary's Level 1.5 cycle: its settings.
      const previous = trace.trials.find((other) => other.index === trial.index - 1);
      const stopContext = { ...context, settings: previous?.settings ?? trace.settings };
      note(trial.index, 'shouldStop', (await composed.shouldStop(stopContext)) ?? null);
      await replayDecisions(composed, context, trial, note);
    }
    await composed.onTrialEnd(contextFor(trace, position + 1, trial.index), toTrialRecordView(trial));
  }
  const last = trace.trials.length - 1;
  await composed.onRunEnd(contextFor(trace, trace.trials.length, Math.max(last, 0)));

  const activity = composed.activity()[0];
  if (!activity) throw new BilevelError('INTERNAL', `${runtime.name} vanished from the composition`);
  const byHook = Object.fromEntries(
    Object.entries(activity.hookCalls).map(([hook, count]) => [
      hook,
      {
        calls: count,
        changed: events.filter((event) => event.kind === 'decision-changed' && event.hook === hook).length,
      },
    ]),
  ) as ReplayReport['byHook'];
  return {
    mechanism: runtime.name,
    trials: trace.trials.length,
    hookCalls: activity.hookCalls,
    decisionsChanged: activity.decisionsChanged,
    byHook,
    inert: activity.decisionsChanged === 0,
    failures: events
      .filter((event) => event.kind === 'strike')
      .map((event) => `trial ${event.trialIndex}, ${event.hook ?? 'init'}: ${event.detail ?? ''}`),
    decisions,
    answers: calls.map((call) => ({ trialIndex: call.trialIndex, hook: call.hook, answer: call.answer })),
    events,
    maxCallMs: calls.reduce((most, call) => Math.max(most, call.durationMs), 0),
    retired: activity.status === 'retired',
  };
}

/** The decision hooks of one recorded trial after shouldStop, in the loop's order, against the recorded default decisions. */
async function replayDecisions(
  composed: ComposedMechanisms,
  context: MechanismContext,
  trial: RecordedTrial,
  note: (trialIndex: number, hook: HookName, result: unknown) => void,
): Promise<void> {
  const index = trial.index;
  const parent = await composed.selectParent(context, trial.defaultParent ?? trial.parent);
  note(index, 'selectParent', parent);
  const prompt = await composed.transformPrompt(context, trial.prompt ?? basePromptParts(context.settings));
  note(index, 'transformPrompt', prompt);
  if (trial.proposal) {
    // A proposal that would differ from the values the recorded trial ran with is a changed decision.
    const request = { parent: trial.parent, current: parentValues(trial), prompt };
    note(index, 'propose', (await composed.propose(context, request, trial.proposal.values)) ?? null);
    note(index, 'screenProposal', await composed.screenProposal(context, trial.proposal));
  }
  if (!trial.outcome) return;
  // A `confirm` is followed only as far as the run recorded confirmation re-runs.
  const recorded = trial.outcome.confirmations;
  for (let used = 0; used <= recorded.length; used += 1) {
    const outcome = { ...trial.outcome, confirmations: recorded.slice(0, used) };
    const decision = await composed.judgeOutcome(context, outcome);
    note(index, 'judgeOutcome', decision ?? null);
    if (decision?.verdict !== 'confirm') break;
  }
}

/** The recorded parent's values: the trial's own with every change it made undone. */
function parentValues(trial: RecordedTrial): Record<string, Value> {
  const values: Record<string, Value> = { ...trial.values };
  for (const [name, [before]] of Object.entries(trial.changed)) values[name] = before;
  return values;
}

/**
 * Resume: re-initialises with the run seed and feeds every recorded trial through onTrialEnd, so each
 * mechanism's state is what it was before the interruption. Counters are not touched (restore them first).
 */
export async function rebuildState(
  target: ComposedMechanisms | MechanismRuntime,
  trace: RecordedTrace,
  config: Readonly<Record<string, Value>> = {},
): Promise<{ trials: number; failures: string[] }> {
  const failures: string[] = [];
  if ('replayTrialEnd' in target) {
    await target.init(trace.seed);
    for (const [position, trial] of trace.trials.entries()) {
      await target.replayTrialEnd(contextFor(trace, position + 1, trial.index), toTrialRecordView(trial));
    }
    return { trials: trace.trials.length, failures };
  }
  await target.init(trace.seed, config);
  for (const [position, trial] of trace.trials.entries()) {
    const context = contextFor(trace, position + 1, trial.index, config);
    try {
      await target.call('onTrialEnd', [context, toTrialRecordView(trial)]);
    } catch (error) {
      if (!(error instanceof HookFailure)) throw error;
      failures.push(`trial ${trial.index}, onTrialEnd: ${error.kind}: ${error.message}`);
    }
  }
  return { trials: trace.trials.length, failures };
}

/**
 * The context a recorded trial's decisions were made in: the trials recorded before it was proposed (every earlier
 * index but those still in flight then, in record order) and those in flight then as `pending`. With one worker,
 * simply every earlier trial.
 */
export function decisionContext(
  trace: RecordedTrace,
  trial: RecordedTrial,
  config: Readonly<Record<string, Value>> = {},
): MechanismContext {
  const inFlight = new Set(trial.inFlight ?? []);
  const source: ContextSource = {
    task: trace.task,
    tunables: trace.tunables,
    settings: trial.settings ?? trace.settings,
    trials: trace.trials.filter((other) => other.index < trial.index && !inFlight.has(other.index)),
    pending: trace.trials
      .filter((other) => inFlight.has(other.index))
      .map((other) => ({
        index: other.index,
        values: other.values,
        changed: other.changed,
        summary: other.summary,
        parent: other.parent,
      })),
  };
  return buildMechanismContext(source, trial.index, config, trace.seed);
}

/** The context for `trialIndex` from the first `count` recorded trials (record order), with that trial's settings. */
export function contextFor(
  trace: RecordedTrace,
  count: number,
  trialIndex: number,
  config: Readonly<Record<string, Value>> = {},
): MechanismContext {
  const trials = trace.trials.slice(0, count);
  const deciding = trace.trials.find((trial) => trial.index === trialIndex);
  const source: ContextSource = {
    task: trace.task,
    tunables: trace.tunables,
    settings: deciding?.settings ?? trace.settings,
    trials,
  };
  return buildMechanismContext(source, trialIndex, config, trace.seed);
}
