// Builds the views of the run that mechanisms and proposers are shown, from the session's bounded memory.
import { mixSeed } from '../core/rng.js';
import { type ContextFrame, contextFromMemory } from '../mechanisms/build-context.js';
import type { MechanismContext, PendingTrialView, TunableView } from '../mechanisms/mechanism.js';
import type { PendingTrial } from '../records/pending-trial.js';
import type { Task } from '../task/load-task.js';
import type { ParamSpec } from '../task/task-definition.js';
import type { RunSession } from './run-session.js';

export function toTunableView(spec: ParamSpec): TunableView {
  return spec.type === 'number'
    ? { name: spec.name, type: 'number', min: spec.min, max: spec.max, integer: spec.integer, scale: spec.scale }
    : { name: spec.name, type: 'choice', choices: spec.choices };
}

/**
 * The context for hooks deciding `trialIndex` (or observing it, once recorded), from the session's bounded memory
 * through the same builder a replay uses, so its cost does not grow with the run.
 */
export function liveMechanismContext(
  session: Pick<RunSession, 'history' | 'task' | 'config' | 'settings' | 'pending'>,
  trialIndex: number,
): MechanismContext {
  return contextFromMemory(
    contextFrame(session.task, session.config.mode),
    session.settings,
    session.history.memory(),
    {
      trialIndex,
      config: {},
      runSeed: session.config.seed,
      pending: [...session.pending.values()].filter((trial) => trial.index !== trialIndex).map(toPendingView),
    },
  );
}

/** A trial in flight as hooks and proposers are shown it. */
export function toPendingView(trial: PendingTrial): PendingTrialView {
  return {
    index: trial.index,
    values: trial.values,
    changed: trial.changed,
    summary: trial.proposal.summary,
    parent: trial.parent,
  };
}

const frames = new WeakMap<Task, ContextFrame>();

/** The task as every context shows it (built once per task and mode). */
export function contextFrame(task: Task, mode: 'params' | 'code'): ContextFrame {
  const cached = frames.get(task);
  if (cached?.task.mode === mode) return cached;
  const frame: ContextFrame = {
    task: {
      name: task.definition.name,
      metric: { name: task.definition.metric.name, direction: task.definition.metric.direction },
      mode,
    },
    tunables: task.params.map(toTunableView),
  };
  frames.set(task, frame);
  return frame;
}

/** The seed of a proposal attempt: the same on a resume, so the same proposal comes back. */
export function proposalSeed(runSeed: number, trialIndex: number, attempt: number): number {
  return mixSeed(runSeed, trialIndex, attempt, 0x70726f70);
}

/** The seed given to the program (BILEVEL_SEED) for a trial's n-th execution (0 = first, 1+ = confirmations). */
export function executionSeed(runSeed: number, trialIndex: number, execution: number): number {
  return mixSeed(runSeed, trialIndex, execution, 0x65786563) & 0x7fffffff;
}
