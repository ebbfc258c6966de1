// Built-in mechanism: a tabu list that rejects proposals repeating a recently tried region.
/**
 * Source: tabu search, F. Glover, "Tabu Search — Part I", ORSA Journal on Computing 1(3), 1989: a short-term
 * memory of recent moves forbids revisiting them for `tenure` iterations, so the search stops cycling.
 *
 * Here the memory is the last `tenure` trials that ran (rejected ones never ran), and the trials running now
 * (`context.pending`, with several workers): each value a param was moved to is tabu for that param. A proposal is rejected when every param it changes lands within `tolerance` of a tabu
 * value (relative for log-scale numbers, a fraction of the range for linear ones, equality for choices); a
 * proposal that changes at least one param to a fresh value explores a new point and is left alone.
 * Stateless: everything it needs is in `context.history`.
 */
import { defineMechanism, type TunableView, type Value } from '../mechanism.js';

export const tabu = defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'tabu',
  description:
    'Stops the search from cycling: rejects a proposal whose every changed param lands near a value tried in the last few trials.',
  params: {
    tenure: {
      type: 'number',
      default: 10,
      min: 1,
      max: 100,
      integer: true,
      description: 'How many recent trials stay tabu.',
    },
    tolerance: {
      type: 'number',
      default: 0.05,
      min: 0,
      max: 0.5,
      description: 'Closeness that counts as a repeat: relative (log scale) or fraction of the range (linear scale).',
    },
  },
  screenProposal(context, proposal) {
    const changed = Object.entries(proposal.changed);
    if (changed.length === 0) return undefined;
    const tenure = Number(context.config.tenure);
    const tolerance = Number(context.config.tolerance);
    const recent = context.history
      .filter((trial) => trial.status !== 'rejected' && trial.index < context.trialIndex)
      .slice(-tenure);
    const repeats: string[] = [];
    for (const [name, [, after]] of changed) {
      const tunable = context.tunables.find((candidate) => candidate.name === name);
      const near = (trial: { readonly changed: Readonly<Record<string, readonly [Value, Value]>> }) => {
        const move = trial.changed[name];
        return move !== undefined && isNear(after, move[1], tunable, tolerance);
      };
      const running = context.pending.find(near);
      const earlier = recent.findLast(near);
      if (running !== undefined) {
        repeats.push(`${name}=${after} (trial ${running.index}, running now, tries ${running.changed[name]?.[1]})`);
      } else if (earlier !== undefined) {
        repeats.push(
          `${name}=${after} (trial ${earlier.index} tried ${earlier.changed[name]?.[1]}, ${earlier.status})`,
        );
      } else return undefined;
    }
    return {
      accept: false,
      reason: `tabu: ${repeats.join('; ')} repeats a move from the last ${tenure} trials${
        repeats.some((repeat) => repeat.includes('running now')) ? ' or one running now' : ''
      }; move to a clearly different value or change another param`,
    };
  },
});

/** True when two values of one param are within the tolerance of each other. */
function isNear(a: Value, b: Value, tunable: TunableView | undefined, tolerance: number): boolean {
  if (typeof a !== 'number' || typeof b !== 'number' || tunable?.type !== 'number') return a === b;
  if (a === b) return true;
  if (tunable.scale === 'log' && a > 0 && b > 0) return Math.abs(Math.log(a / b)) <= Math.log1p(tolerance);
  return Math.abs(a - b) <= tolerance * (tunable.max - tunable.min);
}
