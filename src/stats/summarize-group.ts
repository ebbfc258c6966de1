// Per-group statistics of an ablation study: the improvements of a group's repeats, summarized.
import { bootstrapMeanCi } from './bootstrap.js';
import { describeSample, type SampleDescription } from './describe.js';

export interface GroupSummaryOptions {
  /** Seed of the bootstrap resampling. */
  seed: number;
  /** Confidence level of the interval; default 0.95. */
  level?: number;
  /** Bootstrap resamples; default 10,000. */
  resamples?: number;
}

export interface GroupSummary extends SampleDescription {
  /** Percentile-bootstrap interval of the mean improvement, at `level`. */
  ci: { low: number; high: number; level: number };
  /** The repeat with the largest improvement (first one on ties); null for an empty group. */
  best: { repeat: number; improvement: number } | null;
}

/**
 * Summarizes a group from its repeats' improvements over their baselines (see `improvement`,
 * positive = better, metric units; index = repeat number). Crashed repeats must be left out by
 * the caller, who should report how many there were.
 */
export function summarizeGroup(improvements: readonly number[], options: GroupSummaryOptions): GroupSummary {
  const level = options.level ?? 0.95;
  const description = describeSample(improvements);
  const interval = bootstrapMeanCi(improvements, { level, seed: options.seed, resamples: options.resamples });
  let best: GroupSummary['best'] = null;
  improvements.forEach((value, repeat) => {
    if (best === null || value > best.improvement) best = { repeat, improvement: value };
  });
  return { ...description, ci: { ...interval, level }, best };
}
