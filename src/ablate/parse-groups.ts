// Turns `--groups`, `--group-def` and `--groups-file` into the study's groups; built-in names follow the paper.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';
import type { Level } from '../records/run-config.js';
import { groupSettings } from '../records/run-settings.js';
import { parseLevels, usage } from '../records/setting-parsers.js';
import { type StudyGroup, studyGroupSchema } from './study-definition.js';

/**
 * The paper's groups (Qu & Lu, arXiv 2603.23420): A Level 1, B +1.5, C +1.5 +2, D +2, with the study's proposer;
 * and classical baselines at Level 1 with a proposer of their own: Optuna's TPE, CMA-ES, GP, QMC and random
 * sampler (RS), and CENTAUR, the hybrid Ferreira et al. (arXiv 2603.24647) found best: CMA-ES with the LLM
 * proposing 30% of the trials.
 */
export const builtinGroups: Readonly<
  Record<string, { readonly levels: readonly Level[]; readonly proposer?: string }>
> = {
  A: { levels: ['1'] },
  B: { levels: ['1', '1.5'] },
  C: { levels: ['1', '1.5', '2'] },
  D: { levels: ['1', '2'] },
  TPE: { levels: ['1'], proposer: 'optuna:tpe' },
  CMAES: { levels: ['1'], proposer: 'optuna:cmaes' },
  GP: { levels: ['1'], proposer: 'optuna:gp' },
  QMC: { levels: ['1'], proposer: 'optuna:qmc' },
  RS: { levels: ['1'], proposer: 'optuna:random' },
  CENTAUR: { levels: ['1'], proposer: 'mix:llm=0.3,optuna:cmaes=0.7' },
};

/** The groups `--groups` means when it is not given and no group is defined: the paper's four. */
const defaultGroups = ['A', 'B', 'C', 'D'];

export interface GroupFlags {
  /** Comma-separated group names, built-in or defined; default: the defined groups, else A,B,C,D. */
  groups?: string;
  /**
   * `NAME:levels=1,1.5;mechanisms=tabu,bandit;outerEvery=5;noiseThreshold=0.001`, repeatable; also metaEvery,
   * metaPlateau and probationWindow.
   */
  groupDef?: string[];
  /** JSON file: an array of `{ name, levels, mechanisms?, outerEvery?, noiseThreshold?, metaEvery?, … }`. */
  groupsFile?: string;
}

/** The groups in the order named; every group's levels are checked against what this build can run. */
export function parseGroups(flags: GroupFlags): StudyGroup[] {
  const defined = new Map<string, StudyGroup>();
  const define = (group: StudyGroup): void => {
    if (defined.has(group.name)) throw usage(`group "${group.name}" is defined twice`, 'give each group one name');
    parseLevels(group.levels.join(','));
    defined.set(group.name, group);
  };
  if (flags.groupsFile !== undefined) for (const group of readGroupsFile(flags.groupsFile)) define(group);
  for (const text of flags.groupDef ?? []) define(parseGroupDef(text));
  const names =
    flags.groups === undefined
      ? defined.size > 0
        ? [...defined.keys()]
        : defaultGroups
      : flags.groups
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  if (names.length === 0) throw usage('--groups names no group', 'e.g. --groups A,B');
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw usage(`group "${name}" is listed twice in --groups`, 'name each group once');
    seen.add(name);
    const group = defined.get(name) ?? builtinGroup(name);
    if (!group) {
      throw usage(
        `unknown group "${name}"`,
        `built-in groups are ${Object.keys(builtinGroups).join(', ')}; define others with --group-def 'NAME:levels=1;mechanisms=tabu'`,
      );
    }
    return group;
  });
}

function builtinGroup(name: string): StudyGroup | undefined {
  const group = Object.hasOwn(builtinGroups, name) ? builtinGroups[name] : undefined;
  if (!group) return undefined;
  parseLevels(group.levels.join(','));
  return { name, levels: [...group.levels], mechanisms: [], ...(group.proposer ? { proposer: group.proposer } : {}) };
}

/** Parses `NAME:key=value;key=value`: the keys are the settings a group may set, each parsed as its flag is. */
export function parseGroupDef(text: string): StudyGroup {
  const colon = text.indexOf(':');
  const name = (colon === -1 ? text : text.slice(0, colon)).trim();
  const group: Record<string, unknown> = { name, levels: ['1'], mechanisms: [] };
  const body = colon === -1 ? '' : text.slice(colon + 1);
  for (const part of body.split(';').map((item) => item.trim())) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = equals === -1 ? part : part.slice(0, equals).trim();
    const value = equals === -1 ? '' : part.slice(equals + 1).trim();
    const row = Object.hasOwn(groupSettings, key) ? groupSettings[key as keyof typeof groupSettings] : undefined;
    if (row?.parse === undefined) {
      throw usage(
        `unknown key "${key}" in --group-def "${text}"`,
        `keys are ${Object.keys(groupSettings).join(', ')}, e.g. --group-def "A-tabu:levels=1;mechanisms=tabu"`,
      );
    }
    try {
      group[key] = (row.parse as (value: string, previous: unknown) => unknown)(value, undefined);
    } catch (error) {
      if (!(error instanceof BilevelError)) throw error;
      throw usage(`--group-def "${text}": ${key}: ${error.message}`, error.hint ?? 'see bilevel ablate --help');
    }
  }
  return validGroup(group, `--group-def "${text}"`);
}

function readGroupsFile(path: string): StudyGroup[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BilevelError('USAGE', `cannot read the groups file ${path}`, {
      hint: 'pass a JSON file holding an array of { "name", "levels", "mechanisms" } objects',
      cause: error,
    });
  }
  if (!Array.isArray(parsed))
    throw usage(`${path} must hold a JSON array of groups`, 'e.g. [{"name":"A","levels":["1"]}]');
  return parsed.map((entry, index) => {
    const levels = (entry as { levels?: unknown }).levels;
    const normalized = Array.isArray(levels) ? { ...entry, levels: levels.map(String) } : entry;
    return validGroup(normalized, `${path} entry ${index}`);
  });
}

function validGroup(value: unknown, where: string): StudyGroup {
  const result = studyGroupSchema.safeParse(value);
  if (!result.success) {
    throw usage(`${where} is not a valid group: ${z.prettifyError(result.error)}`, 'see bilevel ablate --help');
  }
  return result.data;
}
