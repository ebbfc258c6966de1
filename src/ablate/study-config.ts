// Builds a study definition from the command's flags, and each group × repeat's run config from the definition.

import type { Value } from '../mechanisms/mechanism.js';
import { proposerUsesLlm } from '../records/proposer-spec.js';
import { groupSettings } from '../records/run-settings.js';
import { integer, positiveInteger as positiveIntegerOf, usage } from '../records/setting-parsers.js';
import { fixAsFlags, levelReach, type ReachFix, reachSentence } from '../run/level-reach.js';
import { type RunConfigDraft, type RunSettingValues, runConfigFrom } from '../run/run-options.js';
import type { Task } from '../task/load-task.js';
import { type GroupFlags, parseGroups } from './parse-groups.js';
import type { RestartProtocol, StudyDefinition, StudyGroup } from './study-definition.js';

/** The mechanism that carries the restart protocol. */
export const restartMechanism = 'plateau-restart';

/** The study's own flags (the run settings it shares with `run` come from the settings table). */
export interface StudyFlags extends GroupFlags {
  repeats: string;
  firstSeed: string;
  baseline: string;
  restart: string;
  restartEvery: string;
  restartDuration: string;
}

/** Validates every flag; a bad one is a USAGE error saying what to pass. */
export function buildStudyDefinition(
  flags: StudyFlags,
  settings: RunSettingValues,
  task: Task,
  defaultLlm: string | undefined,
): StudyDefinition {
  const groups = parseGroups(flags);
  const base = runConfigFrom(
    { ...settings, levels: ['1'], seed: integer('--first-seed')(flags.firstSeed, undefined) },
    task,
    defaultLlm,
    { llmNeeded: groups.some((group) => group.proposer !== undefined && proposerUsesLlm(group.proposer)) },
  );
  // Each group's own proposer must fit the study's mode, as the study's own does.
  for (const group of groups) {
    if (group.proposer !== undefined) runConfigFrom({ ...settings, proposer: group.proposer }, task, base.llm?.default);
  }
  const { levels: _levels, seed, mechanisms: _mechanisms, ...rest } = base;
  if (flags.baseline !== 'shared' && flags.baseline !== 'per-group') {
    throw usage(`--baseline must be shared or per-group, not "${flags.baseline}"`, 'pass --baseline per-group');
  }
  const restart = parseRestart(flags);
  if (restart.from !== 'none') {
    const clash = groups.find((group) => group.mechanisms.includes(restartMechanism));
    if (clash) {
      throw usage(
        `group ${clash.name} lists ${restartMechanism}, which --restart ${restart.from} already adds to every group`,
        `drop ${restartMechanism} from the group, or pass --restart none`,
      );
    }
  }
  return {
    version: 'study-v1',
    groups,
    repeats: positiveIntegerOf('--repeats')(flags.repeats, undefined),
    firstSeed: seed,
    baseline: flags.baseline,
    restart,
    controls: { ...rest, taskDir: task.dir },
  };
}

function parseRestart(flags: StudyFlags): RestartProtocol {
  const from = flags.restart;
  if (from !== 'none' && from !== 'best' && from !== 'last') {
    throw usage(`--restart must be none, best or last, not "${from}"`, 'pass --restart none, best or last');
  }
  const every = positiveIntegerOf('--restart-every')(flags.restartEvery, undefined);
  const duration = positiveIntegerOf('--restart-duration')(flags.restartDuration, undefined);
  if (every < 2 || every > 100) throw usage('--restart-every must be 2 to 100 trials', 'e.g. --restart-every 8');
  if (duration > 10) throw usage('--restart-duration must be 1 to 10 trials', 'e.g. --restart-duration 2');
  return { from, every, duration };
}

/** The run config of repeat `repeat` (0-based) of `group`: the shared controls plus the group's own settings. */
export function runConfigFor(definition: StudyDefinition, group: StudyGroup, repeat: number): RunConfigDraft {
  const { taskDir: _taskDir, ...controls } = definition.controls;
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(groupSettings) as (keyof typeof groupSettings)[]) {
    if (group[key] !== undefined) own[key] = group[key];
  }
  return {
    ...controls,
    ...own,
    levels: group.levels,
    seed: definition.firstSeed + repeat,
    mechanisms: [...group.mechanisms, ...(definition.restart.from === 'none' ? [] : [restartMechanism])],
    ...(definition.restart.from === 'none' ? {} : { mechanismConfigs: mechanismConfigsFor(definition) }),
  } as RunConfigDraft;
}

/** Mechanism params the study sets (the restart protocol), by mechanism name. */
export function mechanismConfigsFor(definition: StudyDefinition): Record<string, Record<string, Value>> {
  const { restart } = definition;
  if (restart.from === 'none') return {};
  return { [restartMechanism]: { patience: restart.every, from: restart.from, duration: restart.duration } };
}

/**
 * The levels a group asks for but cannot (or may not) run within the study's trials, one line per warning with the
 * groups it concerns ("groups C, D: Level 2 cannot run …"): such a group runs as one without that level. A fix is
 * said as `--trials` or as group keys for `--group-def` (a group's cadence is its own setting).
 */
export function studyReachWarnings(definition: StudyDefinition): string[] {
  const groupsByWarning = new Map<string, string[]>();
  for (const group of definition.groups) {
    for (const reach of levelReach(runConfigFor(definition, group, 0))) {
      const warning = reachSentence(reach, fixAsStudyFlags).replace(/ in this run:/, ':');
      groupsByWarning.set(warning, [...(groupsByWarning.get(warning) ?? []), group.name]);
    }
  }
  return [...groupsByWarning].map(
    ([warning, groups]) => `group${groups.length === 1 ? '' : 's'} ${groups.join(', ')}: ${warning}`,
  );
}

/** A fix as `bilevel ablate` takes it: the study's --trials, or the group's own keys in --group-def. */
function fixAsStudyFlags(fix: ReachFix): string {
  const { trials, ...own } = fix;
  if (trials !== undefined) return fixAsFlags({ trials });
  const keys = Object.entries(own)
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  return `${keys} in --group-def 'NAME:levels=…;${keys}'`;
}
