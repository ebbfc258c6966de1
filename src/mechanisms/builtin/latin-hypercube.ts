// Built-in mechanism: proposes a Latin hypercube sweep over the params the run has not explored (a `propose` hook).
/**
 * Source: M. D. McKay, R. J. Beckman, W. J. Conover, "A Comparison of Three Methods for Selecting Values of Input
 * Variables in the Analysis of Output from a Computer Code", Technometrics 21(2), 1979 (Latin hypercube sampling:
 * each input's range is cut into n strata of equal probability, each stratum is sampled once, and the strata are
 * paired across inputs by independent random permutations).
 *
 * A search that keeps moving the same few params learns nothing about the others; rejecting moves until the
 * proposer guesses right (one-factor-sweep) costs a trial per guess. This mechanism makes the moves itself: over the
 * params no trial has moved (not frozen), it lays out an n-point Latin hypercube (log scale in log space, integers
 * and choices in equal strata) and proposes its points one per trial, each over the parent, until all n have run.
 * A point whose trial was rejected is offered again; trials made by others that move a swept param shrink the set
 * and start a new design over what is left. Declines once a design has run in full, or nothing is unexplored.
 */
import { defineMechanism, type MechanismContext, type TunableView, type Value } from '../mechanism.js';

/** Plain data, rebuilt by replaying onTrialEnd. */
export interface LatinHypercubeState {
  /** The run seed (from init): the design is a function of it and of the params it covers. */
  seed: number;
  /** Trials that ran and moved each param, design trials left out. */
  moves: Record<string, number>;
  /** Indexes of the current design's points that have been run. */
  run: number[];
  /** Every point of a design has run: the sweep is over for this run. */
  done: boolean;
}

export const latinHypercube = defineMechanism<LatinHypercubeState>({
  specificationVersion: 'mechanism-v2',
  name: 'latin-hypercube',
  description:
    'Stops the search from leaving whole dimensions unexplored: proposes a Latin hypercube design over the params no trial has moved, one point per trial.',
  params: {
    points: {
      type: 'number',
      default: 8,
      min: 2,
      max: 64,
      integer: true,
      description: 'Points of the design (trials it proposes).',
    },
  },
  init: ({ seed }) => ({ seed, moves: {}, run: [], done: false }),
  onTrialEnd(context, trial, state) {
    if (trial.index === 0 || state.done) return undefined;
    const design = designOf(context, state);
    const point = design.points.findIndex(
      (values, index) =>
        !state.run.includes(index) && design.params.every((name, j) => trial.values[name] === values[j]),
    );
    if (point !== -1) {
      state.run.push(point);
      state.done = state.run.length === design.points.length;
      return state;
    }
    if (trial.status === 'rejected') return undefined;
    const moved = Object.keys(trial.changed);
    if (moved.length === 0) return undefined;
    for (const name of moved) state.moves[name] = (state.moves[name] ?? 0) + 1;
    // A swept param was moved by someone else: the design is redrawn over what is still unexplored.
    if (moved.some((name) => design.params.includes(name))) state.run = [];
    return state;
  },
  propose(context, request, state) {
    if (state.done) return undefined;
    const design = designOf(context, state);
    const allowed = design.params.filter(
      (name) =>
        !request.prompt.avoid.includes(name) &&
        (request.prompt.focus.length === 0 || request.prompt.focus.includes(name)),
    );
    if (allowed.length === 0) return undefined;
    for (const [index, point] of design.points.entries()) {
      if (state.run.includes(index)) continue;
      const values: Record<string, Value> = {};
      for (const [j, name] of design.params.entries()) {
        if (allowed.includes(name) && point[j] !== request.current[name]) values[name] = point[j] as Value;
      }
      if (Object.keys(values).length === 0) continue;
      return {
        values,
        summary: `latin hypercube point ${index + 1}/${design.points.length} over ${design.params.length} unexplored params`,
      };
    }
    return undefined;
  },
});

interface Design {
  params: string[];
  /** points[i][j]: the value of params[j] at point i. */
  points: Value[][];
}

/** The design over the params no non-design trial has moved (not frozen), in declaration order. */
function designOf(context: MechanismContext, state: LatinHypercubeState): Design {
  const frozen = new Set(context.settings.frozen);
  const tunables = context.tunables.filter(
    (tunable) => !frozen.has(tunable.name) && (state.moves[tunable.name] ?? 0) === 0 && hasRange(tunable),
  );
  const size = Number(context.config.points);
  if (tunables.length === 0 || !Number.isInteger(size) || size < 1) return { params: [], points: [] };
  const random = rng(mix(state.seed, tunables.length, hashNames(tunables.map((tunable) => tunable.name))));
  const columns = tunables.map((tunable) => {
    const strata = permutation(size, random);
    return strata.map((stratum) => valueAt(tunable, (stratum + random()) / size));
  });
  const points = Array.from({ length: size }, (_, i) => columns.map((column) => column[i] as Value));
  return { params: tunables.map((tunable) => tunable.name), points };
}

function hasRange(tunable: TunableView): boolean {
  return tunable.type === 'choice' ? tunable.choices.length > 1 : tunable.max > tunable.min;
}

/** The value at quantile u ∈ [0, 1) of the tunable's range: log scale in log space, integers and choices in strata. */
function valueAt(tunable: TunableView, u: number): Value {
  if (tunable.type === 'choice')
    return tunable.choices[Math.min(tunable.choices.length - 1, Math.floor(u * tunable.choices.length))] as Value;
  const { min, max } = tunable;
  if (tunable.integer) return Math.min(max, Math.floor(min + u * (max - min + 1)));
  const value =
    tunable.scale === 'log' && min > 0
      ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
      : min + u * (max - min);
  return Math.min(max, Math.max(min, Number(value.toPrecision(4))));
}

/** A random permutation of 0 … n−1 (Fisher–Yates). */
function permutation(n: number, random: () => number): number[] {
  const items = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
  return items;
}

function hashNames(names: readonly string[]): number {
  let hash = 0x811c9dc5;
  for (const char of names.join('\u0000')) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash >>> 0;
}

function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
