// Turns run options (from `bilevel run` flags, or a study's controls) into a validated run config; every bad option is a USAGE error that names the flag and says what to pass.
import { resolve } from 'node:path';
import { BilevelError } from '../core/errors.js';
import type { LlmRole } from '../llm/language-model.js';
import { describeLlmConfiguration } from '../llm/llm-configuration.js';
import { llmRoles } from '../llm/llm-router.js';
import { loadPriceTable } from '../llm/prices.js';
import { defaultLlmPatienceSeconds, type Level, levelSchema, type RunConfig } from '../records/run-config.js';
import type { Task } from '../task/load-task.js';

export interface RunFlags {
  task: string;
  proposer?: string;
  llm?: string;
  llmBaseUrl?: string;
  /** `ROLE=ID` entries: a model for one role instead of `--llm` (repeatable). */
  llmRole?: string[];
  levels?: string;
  trials: string;
  budget?: string;
  timeout?: string;
  mode?: string;
  seed: string;
  mechanisms?: string;
  mechanismParam?: string[];
  noiseThreshold: string;
  outerEvery?: string;
  metaEvery?: string;
  metaPlateau?: string;
  probationWindow?: string;
  repairAttempts?: string;
  record?: string;
  maxCostUsd?: string;
  maxLlmCalls?: string;
  llmPatience?: string;
  /** A JSON price file for cost estimates and --max-cost-usd. */
  prices?: string;
}

/** Levels this build can run. */
const availableLevels = new Set<Level>(['1', '1.5', '2']);

export function parseRunOptions(
  flags: RunFlags,
  task: Task,
  defaultLlm: string | undefined,
): Omit<RunConfig, 'taskDir'> {
  const proposer = parseProposer(flags, defaultLlm);
  const llmId = flags.llm ?? (proposer === 'llm' ? defaultLlm : undefined);
  const levels = parseLevels(flags.levels ?? (proposer === 'llm' ? '1,1.5,2' : '1'));
  const roles = parseLlmRoles(flags.llmRole ?? []);
  if (llmId === undefined && Object.keys(roles).length > 0) {
    throw usage(
      '--llm-role needs a model for the other roles too',
      'pass --llm PROVIDER:MODEL as well (the roles without their own --llm-role use it)',
    );
  }
  const budgetSeconds =
    flags.budget === undefined ? task.definition.budgetSeconds : positiveNumber('--budget', flags.budget);
  const timeoutSeconds =
    flags.timeout !== undefined
      ? positiveNumber('--timeout', flags.timeout)
      : flags.budget === undefined
        ? task.definition.timeoutSeconds
        : Math.max(
            budgetSeconds + 10,
            task.definition.timeoutSeconds - task.definition.budgetSeconds + budgetSeconds * 1.5,
          );
  if (timeoutSeconds <= budgetSeconds) {
    throw usage(
      `--timeout ${timeoutSeconds} must be longer than the budget (${budgetSeconds} s)`,
      'pass a larger --timeout or a smaller --budget',
    );
  }
  const mode = flags.mode ?? task.definition.mode;
  if (mode !== 'params' && mode !== 'code')
    throw usage(`--mode must be params or code, not "${mode}"`, 'pass --mode params or --mode code');
  return {
    task: flags.task,
    levels,
    proposer,
    ...(llmId === undefined
      ? {}
      : {
          llm: {
            default: llmId,
            roles,
            ...(flags.llmBaseUrl === undefined ? {} : { baseUrl: flags.llmBaseUrl }),
            ...(flags.record === undefined ? {} : { record: flags.record }),
            patienceSeconds: defaultLlmPatienceSeconds,
            ...parseLlmOverrides(flags),
          },
        }),
    trials: nonNegativeInteger('--trials', flags.trials),
    budgetSeconds,
    timeoutSeconds,
    mode,
    seed: integer('--seed', flags.seed),
    mechanisms: flags.mechanisms
      ? flags.mechanisms
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
      : [],
    ...(flags.mechanismParam?.length ? { mechanismConfigs: parseMechanismParams(flags.mechanismParam) } : {}),
    outerEvery: flags.outerEvery === undefined ? 5 : positiveInteger('--outer-every', flags.outerEvery),
    noiseThreshold: nonNegativeNumber('--noise-threshold', flags.noiseThreshold),
    historyLimit: 200,
    proposalAttempts: 2,
    fixAttempts: 1,
    metaEvery: flags.metaEvery === undefined ? 2 : positiveInteger('--meta-every', flags.metaEvery),
    metaPlateau: flags.metaPlateau === undefined ? 10 : positiveInteger('--meta-plateau', flags.metaPlateau),
    probationWindow:
      flags.probationWindow === undefined ? 10 : positiveInteger('--probation-window', flags.probationWindow),
    repairAttempts:
      flags.repairAttempts === undefined ? 2 : nonNegativeInteger('--repair-attempts', flags.repairAttempts),
  };
}

/** `--mechanism-param name.param=value` (repeatable) → mechanism → param → value (numbers and booleans typed). */
export function parseMechanismParams(
  entries: readonly string[],
): Record<string, Record<string, number | string | boolean>> {
  const configs: Record<string, Record<string, number | string | boolean>> = {};
  for (const entry of entries) {
    const match = /^([a-z0-9][a-z0-9-]*)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(entry.trim());
    if (!match) {
      throw usage(
        `--mechanism-param "${entry}" is not name.param=value`,
        'e.g. --mechanism-param plateau-restart.patience=8',
      );
    }
    const [, mechanism, param, text] = match as unknown as [string, string, string, string];
    const value =
      text === 'true'
        ? true
        : text === 'false'
          ? false
          : text.trim() !== '' && Number.isFinite(Number(text))
            ? Number(text)
            : text;
    configs[mechanism] = { ...configs[mechanism], [param]: value };
  }
  return configs;
}

/**
 * `--llm-role ROLE=ID` (repeatable) → role → model id. Roles are propose, analyze, research and fix. Giving a
 * role its own model breaks the paper's control (the same model at every level); it is for users who mean to.
 */
export function parseLlmRoles(entries: readonly string[]): Partial<Record<LlmRole, string>> {
  const roles: Partial<Record<LlmRole, string>> = {};
  for (const entry of entries) {
    const match = /^([a-z]+)=(.+)$/.exec(entry.trim());
    const role = match?.[1] as LlmRole | undefined;
    if (!match || role === undefined || !llmRoles.includes(role)) {
      throw usage(
        `--llm-role "${entry}" is not ROLE=PROVIDER:MODEL with a known role`,
        `roles are ${llmRoles.join(', ')}; e.g. --llm-role research=anthropic:claude-sonnet-4-5`,
      );
    }
    if (roles[role] !== undefined) {
      throw usage(`--llm-role gives ${role} two models`, `pass --llm-role ${role}=… once`);
    }
    roles[role] = match[2] as string;
  }
  return roles;
}

/** The absolute path of a price file that loads (a bad one fails here, before the run, with CONFIG). */
function checkedPriceFile(path: string): string {
  const absolute = resolve(path);
  loadPriceTable(absolute);
  return absolute;
}

/** The LLM settings a run may change between drives (caps, patience, prices), from their flags; absent flags give absent fields. */
export function parseLlmOverrides(flags: Pick<RunFlags, 'maxCostUsd' | 'maxLlmCalls' | 'llmPatience' | 'prices'>): {
  maxCostUsd?: number;
  maxCalls?: number;
  patienceSeconds?: number;
  pricesFile?: string;
} {
  return {
    ...(flags.maxCostUsd === undefined ? {} : { maxCostUsd: positiveNumber('--max-cost-usd', flags.maxCostUsd) }),
    ...(flags.maxLlmCalls === undefined ? {} : { maxCalls: positiveInteger('--max-llm-calls', flags.maxLlmCalls) }),
    ...(flags.llmPatience === undefined
      ? {}
      : { patienceSeconds: nonNegativeNumber('--llm-patience', flags.llmPatience) }),
    ...(flags.prices === undefined ? {} : { pricesFile: checkedPriceFile(flags.prices) }),
  };
}

function parseProposer(flags: RunFlags, defaultLlm: string | undefined): 'llm' | 'random' {
  if (flags.proposer === 'random') return 'random';
  if (flags.proposer !== undefined && flags.proposer !== 'llm') {
    throw usage(
      `--proposer must be llm or random, not "${flags.proposer}"`,
      'pass --proposer llm or --proposer random',
    );
  }
  if (flags.llm === undefined && defaultLlm === undefined) {
    throw new BilevelError('LLM_NOT_CONFIGURED', describeLlmConfiguration(), {
      hint: 'pass --llm PROVIDER:MODEL (or set a key as listed above), or run without an LLM: --proposer random',
    });
  }
  return 'llm';
}

export function parseLevels(text: string): Level[] {
  const parts = text.split(',').map((part) => part.trim());
  const levels: Level[] = [];
  for (const part of parts) {
    const parsed = levelSchema.safeParse(part);
    if (!parsed.success)
      throw usage(`unknown level "${part}" in --levels`, 'levels are 1, 1.5 and 2, e.g. --levels 1,1.5,2');
    if (!availableLevels.has(parsed.data)) {
      throw usage(`level ${part} is not available in this build`, 'use --levels 1, 1,1.5, 1,2 or 1,1.5,2');
    }
    if (!levels.includes(parsed.data)) levels.push(parsed.data);
  }
  if (!levels.includes('1')) throw usage('--levels must include 1 (the inner loop)', 'e.g. --levels 1,1.5');
  return levels;
}

function usage(message: string, hint: string): BilevelError {
  return new BilevelError('USAGE', message, { hint });
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw usage(`${flag} expects a number, got "${text}"`, `pass ${flag} <number>`);
  return value;
}

/** A flag's value as a number greater than 0, or a USAGE error naming the flag. */
export function positiveNumber(flag: string, text: string): number {
  const value = number(flag, text);
  if (value <= 0) throw usage(`${flag} must be greater than 0, got ${text}`, `pass a positive ${flag}`);
  return value;
}

function nonNegativeNumber(flag: string, text: string): number {
  const value = number(flag, text);
  if (value < 0) throw usage(`${flag} must be 0 or more, got ${text}`, `pass ${flag} 0 or a positive number`);
  return value;
}

function integer(flag: string, text: string): number {
  const value = number(flag, text);
  if (!Number.isInteger(value)) throw usage(`${flag} expects a whole number, got "${text}"`, `pass ${flag} <integer>`);
  return value;
}

function nonNegativeInteger(flag: string, text: string): number {
  const value = integer(flag, text);
  if (value < 0) throw usage(`${flag} must be 0 or more, got ${text}`, `pass ${flag} 0 or more`);
  return value;
}

function positiveInteger(flag: string, text: string): number {
  const value = integer(flag, text);
  if (value <= 0) throw usage(`${flag} must be at least 1, got ${text}`, `pass ${flag} 1 or more`);
  return value;
}
