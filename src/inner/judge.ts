// The judge: keep iff strictly better than the incumbent by more than the noise threshold, unless a mechanism
// overrides; a mechanism's `confirm` re-runs the trial and judges the mean. Testable without a run.
import { isBetter, type MetricDirection } from '../core/metric-direction.js';
import type { MechanismVerdict } from '../mechanisms/compose.js';
import { maxConfirmations } from '../mechanisms/hooks.js';
import type { OutcomeView } from '../mechanisms/mechanism.js';

export interface Verdict {
  verdict: 'keep' | 'discard';
  /** Why, in one line; empty for the default keep. */
  reason: string;
}

/** The best kept trial the candidate is measured against (null: nothing kept yet, or the baseline failed). */
export interface Incumbent {
  readonly index: number;
  readonly metric: number | null;
}

export interface JudgeInput {
  /** The trial's first measurement. */
  readonly metric: number;
  readonly incumbent: Incumbent | null;
  readonly direction: MetricDirection;
  /** A keep must beat the incumbent by more than this (metric units, ≥ 0). */
  readonly noiseThreshold: number;
  /** The mechanisms' say on an outcome; undefined when none answers. */
  readonly askMechanisms: (outcome: OutcomeView) => Promise<MechanismVerdict | undefined>;
  /** Runs the same working copy again (`confirmation` 1, 2, …) and returns its metric, or why it measured nothing. */
  readonly rerun: (confirmation: number) => Promise<{ metric: number } | { metric: null; reason: string }>;
}

export interface Judgement extends Verdict {
  /** Metrics of the confirmation re-runs, oldest first. */
  confirmations: number[];
  /** The metric recorded: the first measurement, or the mean with the confirmations. */
  metric: number;
}

/** The loop's own rule, before any mechanism speaks. */
export function defaultVerdict(
  metric: number,
  incumbent: Incumbent | null,
  direction: MetricDirection,
  noiseThreshold: number,
): Verdict {
  if (incumbent === null || incumbent.metric === null) return { verdict: 'keep', reason: '' };
  const margin = direction === 'minimize' ? -noiseThreshold : noiseThreshold;
  if (isBetter(metric, incumbent.metric + margin, direction)) return { verdict: 'keep', reason: '' };
  return { verdict: 'discard', reason: `not better than ${incumbent.metric.toFixed(6)} (trial ${incumbent.index})` };
}

/** Judges a measured trial: the default verdict, the mechanisms' answer, and as many confirmations as they ask for. */
export async function judgeTrial(input: JudgeInput): Promise<Judgement> {
  const confirmations: number[] = [];
  const measured = () => (confirmations.length > 0 ? mean([input.metric, ...confirmations]) : input.metric);
  const finish = (verdict: Verdict): Judgement => ({ ...verdict, confirmations, metric: measured() });
  for (;;) {
    const byDefault = defaultVerdict(measured(), input.incumbent, input.direction, input.noiseThreshold);
    const decision = await input.askMechanisms({
      status: 'ok',
      metric: input.metric,
      verdict: byDefault.verdict,
      confirmations: [...confirmations],
    });
    if (decision === undefined) return finish(byDefault);
    if (decision.verdict !== 'confirm') {
      return finish({ verdict: decision.verdict, reason: `${decision.reason} (${decision.by})` });
    }
    if (confirmations.length >= maxConfirmations) return finish(byDefault);
    const again = await input.rerun(confirmations.length + 1);
    if (again.metric === null) {
      return finish({ verdict: 'discard', reason: `confirmation run failed: ${again.reason}` });
    }
    confirmations.push(again.metric);
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
