// A mechanism's config: its declared params' defaults, overridden by the run's (checked) values.
import { BilevelError } from '../core/errors.js';
import type { MechanismParam, Value } from './mechanism.js';

/** Defaults merged with overrides; an unknown name or an out-of-range value is a CONFIG error. */
export function resolveMechanismConfig(
  mechanism: string,
  params: Readonly<Record<string, MechanismParam>>,
  overrides: Readonly<Record<string, Value>> = {},
): Record<string, Value> {
  const config: Record<string, Value> = {};
  for (const [name, param] of Object.entries(params)) config[name] = param.default;
  for (const [name, value] of Object.entries(overrides)) {
    const param = params[name];
    if (param === undefined) {
      throw new BilevelError('CONFIG', `mechanism ${mechanism} has no param "${name}"`, {
        hint: `Use one of: ${Object.keys(params).join(', ') || '(it declares no params)'}.`,
      });
    }
    const problem = checkParamValue(param, value);
    if (problem) {
      throw new BilevelError(
        'CONFIG',
        `mechanism ${mechanism}: param "${name}" = ${JSON.stringify(value)} ${problem}`,
        {
          hint: 'Pass a value inside the declared range or choices.',
        },
      );
    }
    config[name] = value;
  }
  return config;
}

/** Why a value does not fit its declaration, or null when it fits. */
export function checkParamValue(param: MechanismParam, value: Value): string | null {
  if (param.type === 'choice') {
    return param.choices.includes(value) ? null : `is not one of ${JSON.stringify(param.choices)}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'is not a finite number';
  if (value < param.min || value > param.max) return `is outside [${param.min}, ${param.max}]`;
  if (param.integer && !Number.isInteger(value)) return 'is not a whole number';
  return null;
}
