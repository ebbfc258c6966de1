// Builds the context every hook is shown, from the trials recorded so far: the loop and replay share it.
import { isBetter } from '../core/metric-direction.js';
import { mixSeed } from '../core/rng.js';
import type { MechanismContext, PromptParts, TrialRecordView, TunableView, Value } from './mechanism.js';
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
  /** Every trial recorded so far, oldest first (extra fields beyond TrialRecordView are dropped). */
  readonly trials: readonly TrialRecordView[];
}

/** The seed a trial's hooks see: the same for the same run seed and trial, so a resume replays exactly. */
export function trialSeed(runSeed: number, trialIndex: number): number {
  return mixSeed(runSeed, trialIndex, 0x6d656368);
}

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
  const trials = source.trials;
  const history = trials.slice(-historyLimit).map(toTrialRecordView);
  const incumbent = findIncumbent(trials, source.task.metric.direction);
  return {
    trialIndex,
    task: source.task,
    tunables: source.tunables,
    settings: source.settings,
    history,
    trialCount: trials.length,
    incumbent: incumbent ? toTrialRecordView(incumbent) : null,
    kept: keptTrials(trials, incumbent).map(toTrialRecordView),
    seed: trialSeed(runSeed, trialIndex),
    config,
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

/** The most recent kept trials, oldest first, always including the incumbent. */
function keptTrials(trials: readonly TrialRecordView[], incumbent: TrialRecordView | null): TrialRecordView[] {
  const kept = trials.filter((trial) => trial.status === 'keep');
  const recent = kept.slice(-keptLimit);
  if (incumbent === null || recent.includes(incumbent)) return recent;
  return [incumbent, ...recent.slice(1)];
}
