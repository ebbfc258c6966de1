// Checks a hook's return value against the contract; anything else is a HookFailure('invalid-return').
import { z } from 'zod';
import { type HookAnswer, type HookName, hookTable, isObserverHook } from './hooks.js';
import type { MechanismContext, OutcomeView } from './mechanism.js';
import { HookFailure } from './runtime.js';

/**
 * Returns the value typed when valid (`undefined` = declined); throws HookFailure('invalid-return') with a
 * message that names the hook and what is wrong. Observer results are not checked here.
 */
export function validateHookResult<Hook extends HookName>(
  hook: Hook,
  value: unknown,
  context: MechanismContext,
  outcome?: OutcomeView,
): Hook extends keyof HookAnswer ? HookAnswer[Hook] | undefined : unknown {
  type Result = Hook extends keyof HookAnswer ? HookAnswer[Hook] | undefined : unknown;
  if (isObserverHook(hook) || value === undefined) return value as Result;
  const spec = hookTable[hook];
  if (!('answer' in spec)) return value as Result;
  const parsed = (spec.answer as z.ZodType).safeParse(value);
  if (!parsed.success) {
    throw new HookFailure('invalid-return', `${hook} returned ${preview(value)}: ${z.prettifyError(parsed.error)}`);
  }
  const problem = checkAgainstContext(hook, parsed.data, context, outcome);
  if (problem) throw new HookFailure('invalid-return', `${hook} returned ${preview(value)}: ${problem}`);
  return parsed.data as Result;
}

function checkAgainstContext(
  hook: HookName,
  data: unknown,
  context: MechanismContext,
  outcome: OutcomeView | undefined,
): string | null {
  if (hook === 'selectParent') {
    const { parent } = data as HookAnswer['selectParent'];
    const kept = context.kept.map((trial) => trial.index);
    if (!kept.includes(parent)) {
      return `parent ${parent} is not a kept trial in context.kept (kept: ${kept.join(', ') || 'none'})`;
    }
  }
  if (hook === 'transformPrompt') {
    const parts = data as HookAnswer['transformPrompt'];
    const known = new Set(context.tunables.map((tunable) => tunable.name));
    for (const field of ['focus', 'avoid'] as const) {
      const unknown = parts[field].filter((name) => !known.has(name));
      if (unknown.length > 0) {
        return `${field} names unknown tunables: ${unknown.join(', ')} (known: ${[...known].join(', ') || 'none'})`;
      }
    }
  }
  if (hook === 'propose') {
    const { values } = data as HookAnswer['propose'];
    const problems = Object.entries(values)
      .map(([name, value]) => misfit(context, name, value))
      .filter((problem): problem is string => problem !== null);
    if (problems.length > 0) return problems.join('; ');
  }
  if (hook === 'judgeOutcome') {
    const { verdict } = data as HookAnswer['judgeOutcome'];
    if (verdict === 'keep' && outcome && (outcome.status !== 'ok' || outcome.metric === null)) {
      return `cannot keep an outcome that was not measured (status ${outcome.status}, metric ${outcome.metric})`;
    }
  }
  return null;
}

/** Why `value` cannot be tunable `name`'s (unknown name, wrong type, out of range, not a choice), or null. */
function misfit(context: MechanismContext, name: string, value: unknown): string | null {
  const tunable = context.tunables.find((candidate) => candidate.name === name);
  if (!tunable) return `${name} is not a tunable (known: ${context.tunables.map((t) => t.name).join(', ') || 'none'})`;
  if (tunable.type === 'choice') {
    return tunable.choices.some((choice) => Object.is(choice, value))
      ? null
      : `${name} must be one of ${tunable.choices.map((choice) => JSON.stringify(choice)).join(', ')}, not ${JSON.stringify(value)}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `${name} must be a finite number, not ${JSON.stringify(value)}`;
  if (tunable.integer && !Number.isInteger(value)) return `${name} must be a whole number, not ${value}`;
  if (value < tunable.min || value > tunable.max)
    return `${name} must lie in [${tunable.min}, ${tunable.max}], not ${value}`;
  return null;
}

/** A short JSON rendering of what the hook returned, for the failure message. */
function preview(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}
