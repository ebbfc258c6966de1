// Builds the views of the run that mechanisms and proposers are shown, from the session's bounded memory.

import { mixSeed } from '../core/rng.js';
import { trialSeed } from '../mechanisms/build-context.js';
import type { MechanismContext, TunableView } from '../mechanisms/mechanism.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { ParamSpec } from '../task/task-definition.js';
import type { RunSession } from './run-session.js';

export function toTunableView(spec: ParamSpec): TunableView {
  return spec.type === 'number'
    ? { name: spec.name, type: 'number', min: spec.min, max: spec.max, integer: spec.integer, scale: spec.scale }
    : { name: spec.name, type: 'choice', choices: spec.choices };
}

/**
 * The context for hooks deciding `trialIndex` (or observing it, once recorded). Same contents as
 * mechanisms/build-context.ts builds from a full trace, but from bounded memory, so its cost does not grow.
 */
export function liveMechanismContext(session: RunSession, trialIndex: number): MechanismContext {
  const { history, task, config } = session;
  return {
    trialIndex,
    task: {
      name: task.definition.name,
      metric: { name: task.definition.metric.name, direction: task.definition.metric.direction },
      mode: config.mode,
    },
    tunables: task.params.map(toTunableView),
    settings: session.settings,
    history: history.recent().map(toTrialRecordView),
    trialCount: history.count,
    incumbent: history.incumbent ? toTrialRecordView(history.incumbent) : null,
    kept: history.kept().map(toTrialRecordView),
    seed: trialSeed(config.seed, trialIndex),
    config: {},
  };
}

/** The seed of a proposal attempt: the same on a resume, so the same proposal comes back. */
export function proposalSeed(runSeed: number, trialIndex: number, attempt: number): number {
  return mixSeed(runSeed, trialIndex, attempt, 0x70726f70);
}

/** The seed given to the program (BILEVEL_SEED) for a trial's n-th execution (0 = first, 1+ = confirmations). */
export function executionSeed(runSeed: number, trialIndex: number, execution: number): number {
  return mixSeed(runSeed, trialIndex, execution, 0x65786563) & 0x7fffffff;
}
