// Checks proposed param values against the declared params and the frozen list, with reasons a model can act on.
import type { ParamSpec, ParamValue } from './task-definition.js';

export type ValidateParamValuesResult =
  | { ok: true; values: Record<string, ParamValue> }
  | { ok: false; reason: string };

/**
 * Accepts `values` only if every name is a known, unfrozen param and every value has the right type and lies
 * in its range (inclusive) or among its choices. All problems are reported together, joined by `; `.
 */
export function validateParamValues(
  params: ParamSpec[],
  values: Record<string, unknown>,
  frozen: readonly string[],
): ValidateParamValuesResult {
  const byName = new Map(params.map((param) => [param.name, param]));
  const problems: string[] = [];
  const accepted: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const param = byName.get(name);
    if (param === undefined) {
      problems.push(`${JSON.stringify(name)} is not a param (known params: ${[...byName.keys()].join(', ')})`);
      continue;
    }
    if (frozen.includes(name)) {
      problems.push(`${name} is frozen for now and must not be changed (frozen: ${frozen.join(', ')})`);
      continue;
    }
    const problem = param.type === 'number' ? checkNumber(param, value) : checkChoice(param, value);
    if (problem !== undefined) problems.push(problem);
    else accepted[name] = value as ParamValue;
  }
  if (problems.length > 0) return { ok: false, reason: `${problems.join('; ')}.` };
  return { ok: true, values: accepted };
}

function checkNumber(param: Extract<ParamSpec, { type: 'number' }>, value: unknown): string | undefined {
  const range = `[${param.min}, ${param.max}]`;
  if (typeof value !== 'number') {
    return `${param.name} must be a${param.integer ? ' whole' : ''} number in ${range}, not ${describe(value)}`;
  }
  if (!Number.isFinite(value)) return `${param.name} must be a finite number in ${range}, not ${value}`;
  if (param.integer && !Number.isInteger(value))
    return `${param.name} must be a whole number in ${range}, not ${value}`;
  if (value < param.min || value > param.max) return `${param.name} must lie in ${range}, not ${value}`;
  return undefined;
}

function checkChoice(param: Extract<ParamSpec, { type: 'choice' }>, value: unknown): string | undefined {
  if (param.choices.some((choice) => Object.is(choice, value))) return undefined;
  const listed = param.choices.map((choice) => JSON.stringify(choice)).join(', ');
  return `${param.name} must be one of ${listed}, not ${describe(value)}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `${typeof value} ${String(value)}`;
}
