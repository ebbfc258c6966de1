// Built-in mechanism: re-runs a marginal win before keeping it, so noise is not mistaken for progress.
/**
 * Source: noise-aware acceptance as in racing and intensification — O. Maron and A. Moore, "Hoeffding Races",
 * NIPS 1993; F. Hutter, H. Hoos, K. Leyton-Brown, "Sequential Model-Based Optimization for General Algorithm
 * Configuration" (SMAC's intensify step), LION 2011: a challenger replaces the incumbent only after enough
 * repeated measurements say it is better.
 *
 * A keep whose improvement over the incumbent is below `k` × the noise level asks for `confirmations`
 * re-runs; it is then kept only if the mean of all its runs still beats the incumbent. The noise level is
 * the `noise` param when set, else the pooled standard deviation of trials run with identical values,
 * floored at `noiseFloor` × |incumbent metric|. Clear wins, discards and failed runs are left alone.
 */
import { defineMechanism, type MechanismContext } from '../mechanism.js';

export const confirmMarginal = defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'confirm-marginal',
  description:
    'Stops noise from being kept as progress: a keep that beats the incumbent by less than k noise levels is re-run and kept only if the mean still wins.',
  params: {
    k: { type: 'number', default: 2, min: 0.5, max: 10, description: 'Noise levels a clear win must exceed.' },
    confirmations: {
      type: 'number',
      default: 1,
      min: 1,
      max: 3,
      integer: true,
      description: 'Re-runs before deciding a marginal win.',
    },
    noise: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1_000_000,
      description: 'Known noise level (standard deviation, metric units); 0 = estimate it from repeated trials.',
    },
    noiseFloor: {
      type: 'number',
      default: 0.0005,
      min: 0,
      max: 0.1,
      description: 'Smallest noise level assumed, as a fraction of |incumbent metric|.',
    },
  },
  judgeOutcome(context, outcome) {
    const incumbent = context.incumbent?.metric;
    if (outcome.status !== 'ok' || outcome.metric === null || incumbent === null || incumbent === undefined) {
      return undefined;
    }
    const sign = context.task.metric.direction === 'minimize' ? 1 : -1;
    const runs = [outcome.metric, ...outcome.confirmations];
    if (outcome.confirmations.length === 0) {
      if (outcome.verdict !== 'keep') return undefined;
      const improvement = sign * (incumbent - outcome.metric);
      const noise = noiseLevel(context, incumbent);
      const k = Number(context.config.k);
      if (improvement >= k * noise) return undefined;
      return {
        verdict: 'confirm',
        reason: `improvement ${format(improvement)} is below ${k} × noise ${format(noise)}; re-running to confirm`,
      };
    }
    const wanted = Number(context.config.confirmations);
    if (outcome.confirmations.length < wanted) {
      return { verdict: 'confirm', reason: `confirmation ${outcome.confirmations.length} of ${wanted} done` };
    }
    const mean = runs.reduce((sum, run) => sum + run, 0) / runs.length;
    const beats = sign * (incumbent - mean) > 0;
    return {
      verdict: beats ? 'keep' : 'discard',
      reason: `mean of ${runs.length} runs ${format(mean)} ${beats ? 'still beats' : 'does not beat'} the incumbent ${format(incumbent)}`,
    };
  },
});

/** The noise level (a standard deviation, metric units) used to call a win marginal. */
function noiseLevel(context: MechanismContext, incumbent: number): number {
  const known = Number(context.config.noise);
  if (known > 0) return known;
  const floor = Number(context.config.noiseFloor) * Math.abs(incumbent);
  const groups = new Map<string, number[]>();
  for (const trial of context.history) {
    if (trial.metric === null || (trial.status !== 'keep' && trial.status !== 'discard')) continue;
    const key = JSON.stringify(Object.entries(trial.values).sort(([a], [b]) => (a < b ? -1 : 1)));
    groups.set(key, [...(groups.get(key) ?? []), trial.metric]);
  }
  let squares = 0;
  let degrees = 0;
  for (const metrics of groups.values()) {
    if (metrics.length < 2) continue;
    const mean = metrics.reduce((sum, metric) => sum + metric, 0) / metrics.length;
    squares += metrics.reduce((sum, metric) => sum + (metric - mean) ** 2, 0);
    degrees += metrics.length - 1;
  }
  return Math.max(floor, degrees > 0 ? Math.sqrt(squares / degrees) : 0);
}

function format(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
