// Parsers of run-setting flags: each turns the flag's text into a value, or throws a USAGE error that names the flag.
import { resolve } from 'node:path';
import { BilevelError } from '../core/errors.js';
import type { LlmRole } from '../llm/language-model.js';
import { llmRoles } from '../llm/llm-router.js';
import { loadPriceTable } from '../llm/prices.js';

/** A parser of one flag's text (`previous` is the value so far, for flags that may be repeated). */
export type SettingParser<T> = (text: string, previous: T | undefined) => T;

export function usage(message: string, hint: string): BilevelError {
  return new BilevelError('USAGE', message, { hint });
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw usage(`${flag} expects a number, got "${text}"`, `pass ${flag} <number>`);
  return value;
}

function wholeNumber(flag: string, text: string): number {
  const value = number(flag, text);
  if (!Number.isInteger(value)) throw usage(`${flag} expects a whole number, got "${text}"`, `pass ${flag} <integer>`);
  return value;
}

/** A number greater than 0. */
export const positiveNumber =
  (flag: string): SettingParser<number> =>
  (text) => {
    const value = number(flag, text);
    if (value <= 0) throw usage(`${flag} must be greater than 0, got ${text}`, `pass a positive ${flag}`);
    return value;
  };

/** A number of 0 or more. */
export const nonNegativeNumber =
  (flag: string): SettingParser<number> =>
  (text) => {
    const value = number(flag, text);
    if (value < 0) throw usage(`${flag} must be 0 or more, got ${text}`, `pass ${flag} 0 or a positive number`);
    return value;
  };

/** Any whole number. */
export const integer =
  (flag: string): SettingParser<number> =>
  (text) =>
    wholeNumber(flag, text);

/** A whole number of 0 or more. */
export const nonNegativeInteger =
  (flag: string): SettingParser<number> =>
  (text) => {
    const value = wholeNumber(flag, text);
    if (value < 0) throw usage(`${flag} must be 0 or more, got ${text}`, `pass ${flag} 0 or more`);
    return value;
  };

/** A whole number of 1 or more. */
export const positiveInteger =
  (flag: string): SettingParser<number> =>
  (text) => {
    const value = wholeNumber(flag, text);
    if (value <= 0) throw usage(`${flag} must be at least 1, got ${text}`, `pass ${flag} 1 or more`);
    return value;
  };

/** One of a fixed set of words. */
export const oneOf =
  <T extends string>(flag: string, choices: readonly T[]): SettingParser<T> =>
  (text) => {
    if (!(choices as readonly string[]).includes(text)) {
      throw usage(
        `${flag} must be ${choices.join(' or ')}, not "${text}"`,
        `pass ${choices.map((choice) => `${flag} ${choice}`).join(' or ')}`,
      );
    }
    return text as T;
  };

/** A comma-separated list of names (empty items dropped). */
export const nameList: SettingParser<string[]> = (text) =>
  text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

/** Any text, as given. */
export const text: SettingParser<string> = (value) => value;

/** The levels to run: `1`, `1,1.5`, `1,2` or `1,1.5,2` (1 is required). */
export function parseLevels(value: string): ('1' | '1.5' | '2')[] {
  const levels: ('1' | '1.5' | '2')[] = [];
  for (const part of value.split(',').map((item) => item.trim())) {
    if (part !== '1' && part !== '1.5' && part !== '2')
      throw usage(`unknown level "${part}" in --levels`, 'levels are 1, 1.5 and 2, e.g. --levels 1,1.5,2');
    if (!levels.includes(part)) levels.push(part);
  }
  if (!levels.includes('1')) throw usage('--levels must include 1 (the inner loop)', 'e.g. --levels 1,1.5');
  return levels;
}

/** `--mechanism-param name.param=value` (repeatable) → mechanism → param → value (numbers and booleans typed). */
export const parseMechanismParam: SettingParser<Record<string, Record<string, number | string | boolean>>> = (
  entry,
  previous,
) => {
  const match = /^([a-z0-9][a-z0-9-]*)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(entry.trim());
  if (!match) {
    throw usage(
      `--mechanism-param "${entry}" is not name.param=value`,
      'e.g. --mechanism-param plateau-restart.patience=8',
    );
  }
  const [, mechanism, param, raw] = match as unknown as [string, string, string, string];
  const value =
    raw === 'true'
      ? true
      : raw === 'false'
        ? false
        : raw.trim() !== '' && Number.isFinite(Number(raw))
          ? Number(raw)
          : raw;
  const configs = { ...previous };
  configs[mechanism] = { ...configs[mechanism], [param]: value };
  return configs;
};

/**
 * `--llm-role ROLE=ID` (repeatable) → role → model id. Roles are propose, analyze, research and fix. Giving a
 * role its own model breaks the paper's control (the same model at every level); it is for users who mean to.
 */
export const parseLlmRole: SettingParser<Partial<Record<LlmRole, string>>> = (entry, previous) => {
  const match = /^([a-z]+)=(.+)$/.exec(entry.trim());
  const role = match?.[1] as LlmRole | undefined;
  if (!match || role === undefined || !llmRoles.includes(role)) {
    throw usage(
      `--llm-role "${entry}" is not ROLE=PROVIDER:MODEL with a known role`,
      `roles are ${llmRoles.join(', ')}; e.g. --llm-role research=anthropic:claude-sonnet-4-5`,
    );
  }
  if (previous?.[role] !== undefined)
    throw usage(`--llm-role gives ${role} two models`, `pass --llm-role ${role}=… once`);
  return { ...previous, [role]: match[2] as string };
};

/** The absolute path of a price file that loads (a bad one fails here, before the run, with CONFIG). */
export const priceFile: SettingParser<string> = (path) => {
  const absolute = resolve(path);
  loadPriceTable(absolute);
  return absolute;
};

/** `--gpus 0,1,2,3`: GPU ids (letters, digits, `:`, `_`, `-`), each once. */
export const gpuList: SettingParser<string[]> = (value) => {
  const ids = nameList(value, undefined);
  const bad = ids.find((id) => !/^[A-Za-z0-9:_-]+$/.test(id));
  if (ids.length === 0 || bad !== undefined) {
    throw usage(`--gpus "${value}" is not a list of GPU ids`, 'e.g. --gpus 0,1,2,3 (one id per slot)');
  }
  if (new Set(ids).size !== ids.length) throw usage(`--gpus "${value}" names a GPU twice`, 'give each GPU once');
  return ids;
};

/** `--slot-env NAME=template` (repeatable): a variable for each slot's trials. */
export const slotEnvEntry: SettingParser<string[]> = (entry, previous) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(entry)) {
    throw usage(`--slot-env "${entry}" is not NAME=template`, "e.g. --slot-env 'MY_DEVICE={slot}'");
  }
  return [...(previous ?? []), entry];
};
