// The task's params as Optuna distributions: log scale, integers and choices as declared.
import type { ParamSpec, ParamValue } from '../task/task-definition.js';

export type OptunaDistribution =
  | { readonly type: 'float'; readonly low: number; readonly high: number; readonly log: boolean }
  | { readonly type: 'int'; readonly low: number; readonly high: number; readonly log: boolean }
  | { readonly type: 'categorical'; readonly choices: readonly ParamValue[] };

/** Param name → distribution, in declaration order. */
export type OptunaSpace = Readonly<Record<string, OptunaDistribution>>;

/**
 * One distribution per param. Log scale is kept where Optuna allows it (floats above 0, integers from 1), else the
 * range is linear; an integer param with a fractional bound is narrowed to the whole numbers inside it.
 */
export function optunaSpace(params: readonly ParamSpec[]): OptunaSpace {
  const space: Record<string, OptunaDistribution> = {};
  for (const param of params) {
    if (param.type === 'choice') {
      space[param.name] = { type: 'categorical', choices: [...param.choices] };
    } else if (param.integer) {
      const low = Math.ceil(param.min);
      space[param.name] = { type: 'int', low, high: Math.floor(param.max), log: param.scale === 'log' && low >= 1 };
    } else {
      space[param.name] = {
        type: 'float',
        low: param.min,
        high: param.max,
        log: param.scale === 'log' && param.min > 0,
      };
    }
  }
  return space;
}

/** Whether `value` lies in the distribution (Optuna refuses a trial whose value does not). */
export function fitsDistribution(distribution: OptunaDistribution, value: ParamValue): boolean {
  if (distribution.type === 'categorical') return distribution.choices.some((choice) => Object.is(choice, value));
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (distribution.type === 'int' && !Number.isInteger(value)) return false;
  return value >= distribution.low && value <= distribution.high;
}
