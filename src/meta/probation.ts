// Probation of a mechanism Level 2 injected: compare its first W trials with the W before it, keep or retire it.
import { isBetter } from '../core/metric-direction.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ProbationEvidence, WindowStats } from '../records/probation-evidence.js';

/** Strikes within the window that count as "keeps failing" (the composition retires at 3 anyway). */
export const probationMaxStrikes = 2;
/** A rise of the failure rate (0–1) this large over the previous window counts as clearly worse. */
export const probationFailureRise = 0.3;
/** Keeps the previous window needs before "kept nothing in its window" counts as clearly worse. */
export const probationMinPreviousKeeps = 2;

/**
 * The verdict after the window. Retire when it (1) failed `probationMaxStrikes` times or more, (2) changed no
 * decision (inert in practice), or (3) its window was clearly worse than the one before: it kept nothing where
 * the previous window kept at least `probationMinPreviousKeeps`, or its failure rate rose by
 * `probationFailureRise` or more. "Clearly" is deliberately coarse: with W = 10 noisy trials, smaller
 * differences are within chance, and a mechanism that is merely not better stays (it may pay off later).
 */
export function judgeProbation(input: {
  readonly window: WindowStats;
  readonly previous: WindowStats;
  readonly decisionsChanged: number;
  readonly strikes: number;
}): ProbationEvidence {
  const { window, previous } = input;
  const verdict = (reason: string, kept = false): ProbationEvidence => ({
    ...input,
    verdict: kept ? 'kept' : 'retired',
    reason,
  });
  if (input.strikes >= probationMaxStrikes) {
    return verdict(`failing: ${input.strikes} hook failures in its ${window.trials}-trial window`);
  }
  if (input.decisionsChanged === 0) {
    return verdict(`inert in practice: changed no decision in its ${window.trials}-trial window`);
  }
  if (previous.keeps >= probationMinPreviousKeeps && window.keeps === 0) {
    return verdict(`worse: kept 0 trials in its window, ${previous.keeps} in the window before`);
  }
  const rate = (stats: WindowStats) => (stats.trials === 0 ? 0 : stats.failures / stats.trials);
  if (rate(window) - rate(previous) >= probationFailureRise) {
    return verdict(
      `worse: failure rate ${percent(rate(window))} in its window, ${percent(rate(previous))} in the window before`,
    );
  }
  return verdict(
    `kept: changed ${input.decisionsChanged} decisions; ${window.keeps} keeps (previous window ${previous.keeps})`,
    true,
  );
}

/** Stats of the trials with index in [from, to], given every trial in order (the baseline first). */
export function windowStats(
  trials: readonly TrialRecordView[],
  from: number,
  to: number,
  direction: 'minimize' | 'maximize',
): WindowStats {
  const better = (a: number, b: number) => isBetter(a, b, direction);
  let bestBefore: number | null = null;
  let bestAfter: number | null = null;
  let count = 0;
  let keeps = 0;
  let failures = 0;
  for (const trial of trials) {
    if (trial.index > to) break;
    const kept = trial.status === 'keep' && trial.metric !== null ? trial.metric : null;
    if (trial.index < from) {
      if (kept !== null && (bestBefore === null || better(kept, bestBefore))) bestBefore = kept;
      continue;
    }
    count += 1;
    if (trial.status === 'keep') keeps += 1;
    if (trial.status === 'crash' || trial.status === 'timeout' || trial.status === 'rejected') failures += 1;
    if (kept !== null && (bestAfter === null || better(kept, bestAfter))) bestAfter = kept;
  }
  const gain =
    bestAfter === null || bestBefore === null || !better(bestAfter, bestBefore) ? 0 : Math.abs(bestAfter - bestBefore);
  return { from, to, trials: count, keeps, failures, gain };
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
