// The one place that defines how mechanisms' hook answers combine, and that counts calls, changes and strikes.

import { performance } from 'node:perf_hooks';
import { BilevelError } from '../core/errors.js';
import { defaultHookTimeoutMs, type HookName, isObserverHook, maxConfirmations, perHook } from './hooks.js';
import type {
  JudgeDecision,
  MechanismContext,
  MechanismParam,
  OutcomeView,
  PromptParts,
  ProposalView,
  ProposeAnswer,
  ProposeRequest,
  ScreenDecision,
  TrialRecordView,
  Value,
} from './mechanism.js';
import {
  freshActivity,
  type HookCallRecord,
  type MechanismActivity,
  type MechanismEvent,
} from './mechanism-activity.js';
import { resolveMechanismConfig } from './resolve-config.js';
import { HookFailure, type MechanismRuntime } from './runtime.js';
import { validateHookResult } from './validate-hook-result.js';
import { withTimeout } from './with-timeout.js';

export type { HookCallRecord, MechanismActivity, MechanismEvent } from './mechanism-activity.js';

export interface ComposeOptions {
  /** Strikes before a mechanism is retired; default 3. */
  maxStrikes?: number;
  onEvent?: (event: MechanismEvent) => void;
  onHookCall?: (record: HookCallRecord) => void;
  /** Per-call limit in milliseconds (default: the hook table's); a slower call is a `timeout` strike and its answer is dropped. */
  hookTimeoutMs?: number;
}

/** A mechanism's keep/discard/confirm answer, with the mechanism that gave it. */
export type MechanismVerdict = JudgeDecision & { readonly by: string };
/** A mechanism's proposal, with the mechanism that made it. */
export type MechanismProposal = ProposeAnswer & { readonly by: string };
/** A mechanism's request to end the run. */
export interface MechanismStop {
  readonly reason: string;
  readonly by: string;
}

export interface ComposedMechanisms {
  /** Initialises every active mechanism with the run seed; configs are overrides by mechanism name. */
  init(seed: number, configs?: Readonly<Record<string, Readonly<Record<string, Value>>>>): Promise<void>;
  /** Adds a mechanism after the others (activation order); returns its resolved config. The caller inits it. */
  activate(runtime: MechanismRuntime, overrides?: Readonly<Record<string, Value>>): Record<string, Value>;
  retire(name: string, reason: string): void;
  /** First answer wins; the default parent when all decline. */
  selectParent(context: MechanismContext, defaultParent: number): Promise<number>;
  /** Pipeline: each mechanism rewrites the previous one's output. */
  transformPrompt(context: MechanismContext, parts: PromptParts): Promise<PromptParts>;
  /**
   * First answer wins, with the name of the mechanism that gave it; undefined when every mechanism declined (the
   * proposer is asked). Live, an answer always changes the decision (the proposer is not asked); in a replay,
   * `recorded` holds the values the recorded trial ran with, and an answer that gives the same values changes nothing.
   */
  propose(
    context: MechanismContext,
    request: ProposeRequest,
    recorded?: Readonly<Record<string, Value>>,
  ): Promise<MechanismProposal | undefined>;
  /** Any rejection rejects (the first one's reason is returned). */
  screenProposal(context: MechanismContext, proposal: ProposalView): Promise<ScreenDecision & { by?: string }>;
  /**
   * First answer wins, with the name of the mechanism that gave it; undefined when every mechanism declined (the
   * loop's own verdict stands). A `confirm` past the confirmation limit is answered with the default verdict.
   */
  judgeOutcome(context: MechanismContext, outcome: OutcomeView): Promise<MechanismVerdict | undefined>;
  /** Any `stop: true` stops (the first one's reason and mechanism); undefined when none asks to stop. */
  shouldStop(context: MechanismContext): Promise<MechanismStop | undefined>;
  onTrialEnd(context: MechanismContext, trial: TrialRecordView): Promise<void>;
  onRunEnd(context: MechanismContext): Promise<void>;
  /** Rebuilds state after a restart: onTrialEnd without counting calls, events or strikes. */
  replayTrialEnd(context: MechanismContext, trial: TrialRecordView): Promise<void>;
  activity(): MechanismActivity[];
  /** Puts back counters and retirements saved before a restart (matched by name). */
  restoreActivity(saved: readonly MechanismActivity[]): void;
  /** The resolved config of an activated mechanism. */
  configOf(name: string): Readonly<Record<string, Value>>;
  dispose(): Promise<void>;
}

interface Entry {
  runtime: MechanismRuntime;
  config: Record<string, Value>;
  activity: MechanismActivity;
}

type CallResult = { ok: true; value: unknown } | { ok: false };

export function composeMechanisms(
  runtimes: readonly MechanismRuntime[],
  options: ComposeOptions = {},
): ComposedMechanisms {
  const maxStrikes = options.maxStrikes ?? 3;
  const hookTimeoutMs = options.hookTimeoutMs ?? defaultHookTimeoutMs;
  const entries: Entry[] = [];
  let lastTrialIndex = 0;

  const emit = (event: MechanismEvent) => options.onEvent?.(event);
  const find = (name: string) => entries.find((entry) => entry.runtime.name === name);
  const active = (hook: HookName) =>
    entries.filter((entry) => entry.activity.status === 'active' && entry.runtime.hooks.has(hook));

  function activate(runtime: MechanismRuntime, overrides: Readonly<Record<string, Value>> = {}) {
    if (find(runtime.name)) {
      throw new BilevelError('CONFIG', `mechanism ${runtime.name} is already active in this run`, {
        hint: 'Mechanism names must be unique in a run.',
      });
    }
    const config = resolveMechanismConfig(runtime.name, paramsOf(runtime), overrides);
    entries.push({ runtime, config, activity: freshActivity(runtime) });
    return config;
  }

  function retire(entry: Entry, reason: string, trialIndex: number, hook?: HookName) {
    if (entry.activity.status === 'retired') return;
    entry.activity.status = 'retired';
    entry.activity.retiredReason = reason;
    emit({ kind: 'retired', trialIndex, mechanism: entry.runtime.name, hook, detail: reason });
  }

  function strike(entry: Entry, failure: HookFailure, trialIndex: number, hook?: HookName) {
    entry.activity.strikes += 1;
    const detail = `${failure.kind}: ${failure.message}`;
    emit({ kind: 'strike', trialIndex, mechanism: entry.runtime.name, hook, detail });
    if (entry.activity.strikes >= maxStrikes) {
      retire(entry, `${entry.activity.strikes} strikes; last: ${detail}`, trialIndex, hook);
    }
  }

  function changed(entry: Entry, hook: HookName, trialIndex: number, before: unknown, after: unknown) {
    entry.activity.decisionsChanged += 1;
    emit({ kind: 'decision-changed', trialIndex, mechanism: entry.runtime.name, hook, before, after });
  }

  /** Calls one hook: counts it, enforces the time limit, validates the answer, turns failures into strikes. */
  async function invoke(
    entry: Entry,
    hook: HookName,
    context: MechanismContext,
    extra: unknown[],
  ): Promise<CallResult> {
    lastTrialIndex = context.trialIndex;
    entry.activity.hookCalls[hook] += 1;
    const ownContext = { ...context, config: entry.config };
    const started = performance.now();
    const record = (result: HookCallRecord['result'], answer?: unknown) =>
      options.onHookCall?.({
        mechanism: entry.runtime.name,
        hook,
        trialIndex: context.trialIndex,
        durationMs: performance.now() - started,
        result,
        ...(answer === undefined ? {} : { answer }),
      });
    try {
      const raw = await withTimeout(entry.runtime.call(hook, [ownContext, ...extra]), hookTimeoutMs, hook);
      const elapsed = performance.now() - started;
      // An in-process hook that blocks the thread cannot be interrupted by the timer; it is caught here after the fact.
      if (elapsed > hookTimeoutMs) {
        throw new HookFailure('timeout', `${hook} took ${Math.round(elapsed)} ms (limit ${hookTimeoutMs} ms)`);
      }
      const outcome = hook === 'judgeOutcome' ? (extra[0] as OutcomeView) : undefined;
      let value: unknown;
      try {
        value = validateHookResult(hook, raw, ownContext, outcome);
      } catch (error) {
        if (error instanceof HookFailure) await entry.runtime.reset?.();
        throw error;
      }
      record(value === undefined ? 'decline' : 'answer', isObserverHook(hook) ? undefined : value);
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof HookFailure)) throw error;
      record('failure');
      strike(entry, error, context.trialIndex, hook);
      return { ok: false };
    }
  }

  /** Calls `hook` on each active mechanism in order, until `take` accepts an answer. */
  async function firstAnswer<T>(
    hook: HookName,
    context: MechanismContext,
    extra: unknown[],
    take: (value: T, entry: Entry) => boolean,
  ): Promise<void> {
    for (const entry of active(hook)) {
      const result = await invoke(entry, hook, context, extra);
      if (result.ok && result.value !== undefined && take(result.value as T, entry)) return;
    }
  }

  async function observe(hook: 'onTrialEnd' | 'onRunEnd', context: MechanismContext, extra: unknown[]) {
    for (const entry of active(hook)) await invoke(entry, hook, context, extra);
  }

  for (const runtime of runtimes) activate(runtime);

  return {
    async init(seed, configs = {}) {
      const unknown = Object.keys(configs).filter((name) => !find(name));
      if (unknown.length > 0) {
        throw new BilevelError('CONFIG', `config given for mechanisms not in this run: ${unknown.join(', ')}`, {
          hint: `Mechanisms in this run: ${entries.map((entry) => entry.runtime.name).join(', ') || 'none'}.`,
        });
      }
      for (const entry of entries) {
        if (entry.activity.status !== 'active') continue;
        const overrides = configs[entry.runtime.name];
        if (overrides) entry.config = resolveMechanismConfig(entry.runtime.name, paramsOf(entry.runtime), overrides);
        try {
          await entry.runtime.init(seed, entry.config);
        } catch (error) {
          if (!(error instanceof HookFailure)) throw error;
          entry.activity.strikes += 1;
          emit({ kind: 'strike', trialIndex: 0, mechanism: entry.runtime.name, detail: `init: ${error.message}` });
          retire(entry, `init failed: ${error.kind}: ${error.message}`, 0);
        }
      }
    },
    activate,
    retire(name, reason) {
      const entry = find(name);
      if (!entry) throw notFound(name, entries);
      retire(entry, reason, lastTrialIndex);
    },
    async selectParent(context, defaultParent) {
      let parent = defaultParent;
      await firstAnswer<{ parent: number }>('selectParent', context, [], (value, entry) => {
        parent = value.parent;
        if (parent !== defaultParent) changed(entry, 'selectParent', context.trialIndex, defaultParent, parent);
        return true;
      });
      return parent;
    },
    async transformPrompt(context, parts) {
      let current = parts;
      for (const entry of active('transformPrompt')) {
        const result = await invoke(entry, 'transformPrompt', context, [current]);
        if (!result.ok || result.value === undefined) continue;
        const next = result.value as PromptParts;
        if (!samePromptParts(current, next)) changed(entry, 'transformPrompt', context.trialIndex, current, next);
        current = next;
      }
      return current;
    },
    async propose(context, request, recorded) {
      let proposal: MechanismProposal | undefined;
      await firstAnswer<ProposeAnswer>('propose', context, [request], (value, entry) => {
        proposal = { ...value, by: entry.runtime.name };
        const values = { ...request.current, ...value.values };
        if (recorded === undefined || !sameValues(values, { ...request.current, ...recorded })) {
          changed(entry, 'propose', context.trialIndex, recorded ?? 'the proposer', value.values);
        }
        return true;
      });
      return proposal;
    },
    async screenProposal(context, proposal) {
      let decision: ScreenDecision & { by?: string } = { accept: true };
      await firstAnswer<ScreenDecision>('screenProposal', context, [proposal], (value, entry) => {
        if (value.accept) return false;
        decision = { ...value, by: entry.runtime.name };
        changed(entry, 'screenProposal', context.trialIndex, { accept: true }, value);
        return true;
      });
      return decision;
    },
    async judgeOutcome(context, outcome) {
      let decision: MechanismVerdict | undefined;
      await firstAnswer<JudgeDecision>('judgeOutcome', context, [outcome], (value, entry) => {
        if (value.verdict === 'confirm' && outcome.confirmations.length >= maxConfirmations) {
          decision = {
            verdict: outcome.verdict,
            reason: `confirmation limit (${maxConfirmations}) reached`,
            by: entry.runtime.name,
          };
          return true;
        }
        decision = { ...value, by: entry.runtime.name };
        if (value.verdict === 'confirm' || value.verdict !== outcome.verdict) {
          changed(entry, 'judgeOutcome', context.trialIndex, outcome.verdict, value.verdict);
        }
        return true;
      });
      return decision;
    },
    async shouldStop(context) {
      let decision: MechanismStop | undefined;
      await firstAnswer<{ stop: boolean; reason: string }>('shouldStop', context, [], (value, entry) => {
        if (!value.stop) return false;
        decision = { reason: value.reason, by: entry.runtime.name };
        changed(entry, 'shouldStop', context.trialIndex, false, true);
        return true;
      });
      return decision;
    },
    onTrialEnd: (context, trial) => observe('onTrialEnd', context, [trial]),
    onRunEnd: (context) => observe('onRunEnd', context, []),
    async replayTrialEnd(context, trial) {
      for (const entry of active('onTrialEnd')) {
        try {
          await entry.runtime.call('onTrialEnd', [{ ...context, config: entry.config }, trial]);
        } catch (error) {
          // The original run met the same failure and counted its strike; restored activity holds it.
          if (!(error instanceof HookFailure)) throw error;
        }
      }
    },
    activity: () => entries.map((entry) => structuredClone(entry.activity)),
    restoreActivity(saved) {
      for (const activity of saved) {
        const entry = find(activity.name);
        // Counters saved before a hook existed lack it: it starts from zero.
        if (entry) {
          const copy = structuredClone(activity);
          entry.activity = {
            ...copy,
            hookCalls: { ...perHook(() => 0), ...copy.hookCalls },
            origin: entry.runtime.origin,
          };
        }
      }
    },
    configOf(name) {
      const entry = find(name);
      if (!entry) throw notFound(name, entries);
      return entry.config;
    },
    async dispose() {
      for (const entry of entries) await entry.runtime.dispose();
    },
  };
}

/** A runtime may carry its param declaration (in-process ones do); without it the config is the overrides. */
function paramsOf(runtime: MechanismRuntime): Readonly<Record<string, MechanismParam>> {
  const params = (runtime as { params?: Readonly<Record<string, MechanismParam>> }).params;
  return params ?? {};
}

function sameValues(a: Readonly<Record<string, Value>>, b: Readonly<Record<string, Value>>): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((name) => Object.is(a[name], b[name]));
}

function samePromptParts(a: PromptParts, b: PromptParts): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((item, i) => item === y[i]);
  return same(a.guidance, b.guidance) && same(a.focus, b.focus) && same(a.avoid, b.avoid);
}

function notFound(name: string, entries: readonly Entry[]): BilevelError {
  return new BilevelError('MECHANISM_NOT_FOUND', `no mechanism named ${name} in this run`, {
    hint: `Active in this run: ${entries.map((entry) => entry.runtime.name).join(', ') || 'none'}.`,
  });
}
