// Built-in mechanism: a UCB1 bandit over which tunable to move next, steering the proposer through focus.
/**
 * Source: P. Auer, N. Cesa-Bianchi, P. Fischer, "Finite-time Analysis of the Multiarmed Bandit Problem",
 * Machine Learning 47, 2002 (UCB1: play the arm maximising mean reward + c·sqrt(2 ln N / n)).
 *
 * Arms are the tunables that are not frozen or avoided. A trial that moved k params is a pull of each of them;
 * its reward is the relative improvement over its parent's metric, divided by `rewardScale` and clipped to
 * [0, 1] (crashes and timeouts earn 0). Arms never pulled come first; ties are broken by a hash of the trial
 * seed, so the choice is deterministic for a seed. Declines when fewer than two arms are eligible.
 */
import { defineMechanism, type MechanismContext, type TrialRecordView } from '../mechanism.js';

/** Pulls and summed rewards per tunable name (plain data, rebuilt by replaying onTrialEnd). */
export interface BanditState {
  pulls: Record<string, number>;
  rewards: Record<string, number>;
}

export const bandit = defineMechanism<BanditState>({
  specificationVersion: 'mechanism-v1',
  name: 'bandit',
  description:
    'Stops the search from moving the same params by habit: a UCB1 bandit picks which tunable to move next from the improvements each one produced.',
  params: {
    exploration: {
      type: 'number',
      default: 1,
      min: 0,
      max: 5,
      description: 'UCB1 exploration weight c (0 = pure exploitation).',
    },
    rewardScale: {
      type: 'number',
      default: 0.01,
      min: 0.0001,
      max: 1,
      description: 'Relative improvement that earns the full reward of 1.',
    },
  },
  init: () => ({ pulls: {}, rewards: {} }),
  onTrialEnd(context, trial, state) {
    if (trial.index === 0 || trial.status === 'rejected') return undefined;
    const known = new Set(context.tunables.map((tunable) => tunable.name));
    const moved = Object.keys(trial.changed).filter((name) => known.has(name));
    if (moved.length === 0) return undefined;
    const reward = rewardOf(context, trial);
    for (const name of moved) {
      state.pulls[name] = (state.pulls[name] ?? 0) + 1;
      state.rewards[name] = (state.rewards[name] ?? 0) + reward;
    }
    return state;
  },
  transformPrompt(context, prompt, state) {
    const frozen = new Set([...context.settings.frozen, ...prompt.avoid]);
    let arms = context.tunables.map((tunable) => tunable.name).filter((name) => !frozen.has(name));
    if (prompt.focus.length > 0) arms = arms.filter((name) => prompt.focus.includes(name));
    if (arms.length < 2) return undefined;
    const total = arms.reduce((sum, name) => sum + (state.pulls[name] ?? 0), 0);
    const exploration = Number(context.config.exploration);
    const score = (name: string) => {
      const pulls = state.pulls[name] ?? 0;
      if (pulls === 0) return Number.POSITIVE_INFINITY;
      return (state.rewards[name] ?? 0) / pulls + exploration * Math.sqrt((2 * Math.log(total)) / pulls);
    };
    const ranked = arms
      .map((name) => ({ name, score: score(name), tie: tieBreak(context.seed, name) }))
      .sort((a, b) => b.score - a.score || b.tie - a.tie);
    const chosen = ranked[0]?.name as string;
    const pulls = state.pulls[chosen] ?? 0;
    const evidence =
      pulls === 0
        ? 'it has never been moved'
        : `mean reward ${((state.rewards[chosen] ?? 0) / pulls).toFixed(2)} over ${pulls} moves`;
    return {
      guidance: [...prompt.guidance, `Bandit (UCB1): change ${chosen} this trial (${evidence}).`],
      focus: [chosen],
      avoid: prompt.avoid,
    };
  },
});

/** Relative improvement of a measured trial over its parent, scaled to [0, 1]. */
function rewardOf(context: MechanismContext, trial: TrialRecordView): number {
  if (trial.metric === null) return 0;
  const parent = context.history.find((candidate) => candidate.index === trial.parent);
  if (parent?.metric === null || parent?.metric === undefined) return trial.status === 'keep' ? 1 : 0;
  const sign = context.task.metric.direction === 'minimize' ? 1 : -1;
  const improvement = (sign * (parent.metric - trial.metric)) / Math.max(Math.abs(parent.metric), 1e-12);
  return Math.min(1, Math.max(0, improvement / Number(context.config.rewardScale)));
}

/** A deterministic pseudo-random number in [0, 1) from the trial seed and an arm's name. */
function tieBreak(seed: number, name: string): number {
  let hash = seed >>> 0;
  for (let position = 0; position < name.length; position += 1) {
    hash = Math.imul(hash ^ name.charCodeAt(position), 0x01000193) >>> 0;
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d) >>> 0;
  hash ^= hash >>> 12;
  return hash / 4294967296;
}
