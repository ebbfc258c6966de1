// Builds the context every hook is shown, from the trials recorded so far: the loop and replay share it.
import { isBetter } from '../core/metric-direction.js';
import { mixSeed } from '../core/rng.js';
import type {
  MechanismContext,
  PendingTrialView,
  PromptParts,
  TrialRecordView,
  TunableView,
  Value,
} from './mechanism.js';
import { toTrialRecordView } from './recorded-trace.js';

/** Most recent trials a context carries. */
export const historyLimit = 200;
/** Most kept trials (possible parents) a context carries. */
export const keptLimit = 50;

/** What the builder reads: the run's fixed facts plus the trials recorded so far, oldest first. */
export interface ContextSource {
  readonly task: MechanismContext['task'];
  readonly tunables: readonly TunableView[];
  /** Level 1.5 settings in effect for the trial being decided. */
  readonly settings: MechanismContext['settings'];
  /** Every trial recorded so far, in record order (extra fields beyond TrialRecordView are dropped). */
  readonly trials: readonly TrialRecordView[];
  /** Trials in flight (proposed, not yet recorded); none by default. */
  readonly pending?: readonly PendingTrialView[];
}

/** The seed a trial's hooks see: the same for the same run seed and trial, so a resume replays exactly. */
export function trialSeed(runSeed: number, trialIndex: number): number {
  return mixSeed(runSeed, trialIndex, 0x6d656368);
}

/** What a context shows of the trials so far: the bounded memory the live loop keeps, or the same taken from a trace. */
export interface TrialMemory {
  /** The most recent trials, oldest first (the builder keeps the last `historyLimit`). */
  readonly recent: readonly TrialRecordView[];
  /** The most recent kept trials, oldest first (the builder keeps the last `keptLimit`, the incumbent always among them). */
  readonly kept: readonly TrialRecordView[];
  readonly incumbent: TrialRecordView | null;
  /** Trials recorded so far. */
  readonly count: number;
}

/** The run's fixed facts a context carries, whatever the trial. */
export type ContextFrame = Pick<ContextSource, 'task' | 'tunables'>;

/**
 * The context for `trialIndex`. Decision hooks of trial i (and `shouldStop` asked after trial i − 1) get the
 * trials recorded before i; observers of trial i get the trials up to and including i.
 */
export function buildMechanismContext(
  source: ContextSource,
  trialIndex: number,
  config: Readonly<Record<string, Value>>,
  runSeed: number,
): MechanismContext {
  return contextFromMemory(source, source.settings, memoryOf(source.trials, source.task.metric.direction), {
    trialIndex,
    config,
    runSeed,
    pending: source.pending ?? [],
  });
}

/**
 * The one builder of a hook's context: from the run's fixed facts, the Level 1.5 settings in effect and the trial
 * memory. The live loop (bounded memory) and replays (a trace) both come through here.
 */
export function contextFromMemory(
  frame: ContextFrame,
  settings: MechanismContext['settings'],
  memory: TrialMemory,
  at: {
    readonly trialIndex: number;
    readonly config: Readonly<Record<string, Value>>;
    readonly runSeed: number;
    readonly pending: readonly PendingTrialView[];
  },
): MechanismContext {
  const incumbent = memory.incumbent ? toTrialRecordView(memory.incumbent) : null;
  return {
    trialIndex: at.trialIndex,
    task: frame.task,
    tunables: frame.tunables,
    settings,
    history: memory.recent.slice(-historyLimit).map(toTrialRecordView),
    trialCount: memory.count,
    incumbent,
    kept: keptWithIncumbent(memory.kept, memory.incumbent).map(toTrialRecordView),
    pending: at.pending.map(toPendingTrialView),
    seed: trialSeed(at.runSeed, at.trialIndex),
    config: at.config,
  };
}

/** The memory a full list of trials gives: what the live loop would hold after recording them. */
export function memoryOf(trials: readonly TrialRecordView[], direction: 'minimize' | 'maximize'): TrialMemory {
  return {
    recent: trials.slice(-historyLimit),
    kept: trials.filter((trial) => trial.status === 'keep').slice(-keptLimit),
    incumbent: findIncumbent(trials, direction),
    count: trials.length,
  };
}

/** The most recent kept trials (at most keptLimit), oldest first, the incumbent always among them. */
export function keptWithIncumbent<T extends TrialRecordView>(recentKept: readonly T[], incumbent: T | null): T[] {
  const recent = recentKept.slice(-keptLimit);
  if (incumbent === null || recent.some((trial) => trial.index === incumbent.index)) return recent;
  return [incumbent, ...recent.slice(recent.length >= keptLimit ? 1 : 0)];
}

/** The part of a trial in flight that hooks are shown. */
export function toPendingTrialView(trial: PendingTrialView): PendingTrialView {
  return {
    index: trial.index,
    values: trial.values,
    changed: trial.changed,
    summary: trial.summary,
    parent: trial.parent,
  };
}

/** The best kept trial with a metric (earliest on ties), or null. */
export function findIncumbent(
  trials: readonly TrialRecordView[],
  direction: 'minimize' | 'maximize',
): TrialRecordView | null {
  let best: TrialRecordView | null = null;
  for (const trial of trials) {
    if (trial.status !== 'keep' || trial.metric === null) continue;
    if (best === null || isBetter(trial.metric, best.metric as number, direction)) best = trial;
  }
  return best;
}

/** The prompt parts the loop starts from before mechanisms rewrite them. */
export function basePromptParts(settings: MechanismContext['settings']): PromptParts {
  return { guidance: [], focus: [], avoid: [...settings.frozen] };
}
