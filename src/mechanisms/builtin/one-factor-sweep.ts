// Built-in mechanism: a one-factor-at-a-time sweep that forces the search onto params it never moved.
/**
 * Source: the one-factor-at-a-time design of experiments (see V. Czitrom, "One-Factor-at-a-Time versus
 * Designed Experiments", The American Statistician 53(2), 1999) and, for covering every factor with few
 * runs, G. Taguchi's orthogonal arrays. A search that keeps tuning the same two params never learns whether
 * the others matter; this sweep makes sure each factor is moved at least once.
 *
 * While some eligible tunable (not frozen, not avoided) has never been moved by a trial that ran, the prompt
 * is focused on the first `width` of them in declaration order and, with `enforce` on, a proposal that moves
 * only already-tried params is rejected. Declines once every eligible tunable has been moved.
 */
import { defineMechanism, type MechanismContext, type PromptParts } from '../mechanism.js';

/** Trials that ran and moved each param, by name. */
export interface OneFactorSweepState {
  moves: Record<string, number>;
}

export const oneFactorSweep = defineMechanism<OneFactorSweepState>({
  specificationVersion: 'mechanism-v1',
  name: 'one-factor-sweep',
  description:
    'Stops the search from ignoring whole dimensions: focuses proposals on tunables that were never moved until each has been tried once.',
  params: {
    width: {
      type: 'number',
      default: 1,
      min: 1,
      max: 5,
      integer: true,
      description: 'How many untried params to offer at once.',
    },
    enforce: {
      type: 'choice',
      default: true,
      choices: [true, false],
      description: 'Reject proposals that move only already-tried params while untried ones remain.',
    },
  },
  init: () => ({ moves: {} }),
  onTrialEnd(_context, trial, state) {
    if (trial.status === 'rejected') return undefined;
    const moved = Object.keys(trial.changed);
    if (moved.length === 0) return undefined;
    for (const name of moved) state.moves[name] = (state.moves[name] ?? 0) + 1;
    return state;
  },
  transformPrompt(context, prompt, state) {
    const untried = untriedParams(context, prompt, state);
    if (untried.length === 0) return undefined;
    const chosen = untried.slice(0, Number(context.config.width));
    const described = chosen.map((name) => describe(context, name)).join('; ');
    return {
      guidance: [
        ...prompt.guidance,
        `One-factor sweep: never moved in this run: ${described}. Change only ${chosen.join(' or ')} this trial, to a value far from the current one.`,
      ],
      focus: chosen,
      avoid: prompt.avoid,
    };
  },
  screenProposal(context, proposal, state) {
    if (context.config.enforce !== true) return undefined;
    const moved = Object.keys(proposal.changed);
    if (moved.length === 0) return undefined;
    const untried = untriedParams(context, { guidance: [], focus: [], avoid: [] }, state);
    if (untried.length === 0 || moved.some((name) => untried.includes(name))) return undefined;
    return {
      accept: false,
      reason: `one-factor sweep: ${untried.join(', ')} ${untried.length === 1 ? 'has' : 'have'} never been moved; change one of them instead of ${moved.join(', ')}`,
    };
  },
});

/** Eligible tunables (not frozen or avoided; inside the focus when one is set) that no trial has moved. */
function untriedParams(context: MechanismContext, prompt: PromptParts, state: OneFactorSweepState): string[] {
  const excluded = new Set([...context.settings.frozen, ...prompt.avoid]);
  return context.tunables
    .map((tunable) => tunable.name)
    .filter((name) => !excluded.has(name) && (state.moves[name] ?? 0) === 0)
    .filter((name) => prompt.focus.length === 0 || prompt.focus.includes(name));
}

/** `NAME (now 4, range 1–12)` or `NAME (now relu, choices relu|gelu|silu)`. */
function describe(context: MechanismContext, name: string): string {
  const tunable = context.tunables.find((candidate) => candidate.name === name);
  const current = context.incumbent?.values[name];
  const now = current === undefined ? '' : `now ${current}, `;
  if (tunable?.type === 'number') return `${name} (${now}range ${tunable.min}–${tunable.max})`;
  if (tunable?.type === 'choice') return `${name} (${now}choices ${tunable.choices.join('|')})`;
  return name;
}
