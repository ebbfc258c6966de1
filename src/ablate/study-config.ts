// Builds a study definition from the command's flags, and each group × repeat's run config from the definition.

import { BilevelError } from '../core/errors.js';
import type { Value } from '../mechanisms/mechanism.js';
import type { RunConfig } from '../records/run-config.js';
import { parseRunOptions, type RunFlags } from '../run/run-options.js';
import type { Task } from '../task/load-task.js';
import { type GroupFlags, parseGroups } from './parse-groups.js';
import type { RestartProtocol, StudyDefinition, StudyGroup } from './study-definition.js';

/** The mechanism that carries the restart protocol. */
export const restartMechanism = 'plateau-restart';

export interface StudyFlags extends GroupFlags, Omit<RunFlags, 'levels' | 'seed' | 'mechanisms' | 'record'> {
  repeats: string;
  firstSeed: string;
  baseline: string;
  restart: string;
  restartEvery: string;
  restartDuration: string;
}

/** Validates every flag; a bad one is a USAGE error saying what to pass. */
export function buildStudyDefinition(flags: StudyFlags, task: Task, defaultLlm: string | undefined): StudyDefinition {
  const groups = parseGroups(flags);
  const base = parseRunOptions({ ...flags, levels: '1', seed: flags.firstSeed }, task, defaultLlm);
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
    repeats: positiveInteger('--repeats', flags.repeats),
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
  const every = positiveInteger('--restart-every', flags.restartEvery);
  const duration = positiveInteger('--restart-duration', flags.restartDuration);
  if (every < 2 || every > 100) throw usage('--restart-every must be 2 to 100 trials', 'e.g. --restart-every 8');
  if (duration > 10) throw usage('--restart-duration must be 1 to 10 trials', 'e.g. --restart-duration 2');
  return { from, every, duration };
}

/** The run config of repeat `repeat` (0-based) of `group`: the shared controls plus the group's own choices. */
export function runConfigFor(
  definition: StudyDefinition,
  group: StudyGroup,
  repeat: number,
): Omit<RunConfig, 'taskDir'> {
  const { taskDir: _taskDir, ...controls } = definition.controls;
  return {
    ...controls,
    levels: group.levels,
    seed: definition.firstSeed + repeat,
    mechanisms: [...group.mechanisms, ...(definition.restart.from === 'none' ? [] : [restartMechanism])],
    ...(definition.restart.from === 'none' ? {} : { mechanismConfigs: mechanismConfigsFor(definition) }),
    outerEvery: group.outerEvery ?? controls.outerEvery,
    noiseThreshold: group.noiseThreshold ?? controls.noiseThreshold,
    metaEvery: group.metaEvery ?? controls.metaEvery,
    metaPlateau: group.metaPlateau ?? controls.metaPlateau,
    probationWindow: group.probationWindow ?? controls.probationWindow,
  };
}

/** Mechanism params the study sets (the restart protocol), by mechanism name. */
export function mechanismConfigsFor(definition: StudyDefinition): Record<string, Record<string, Value>> {
  const { restart } = definition;
  if (restart.from === 'none') return {};
  return { [restartMechanism]: { patience: restart.every, from: restart.from, duration: restart.duration } };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 1) {
    throw usage(`${flag} expects a whole number of at least 1, got "${text}"`, `pass ${flag} <integer>`);
  }
  return value;
}

function usage(message: string, hint: string): BilevelError {
  return new BilevelError('USAGE', message, { hint });
}
