// The run page's convergence chart as data: a point per trial by status, the best-so-far step, the visible range
// (off-scale points drawn at its edge), and the Level 1.5 / Level 2 events between trials. The browser only draws it.
import type { MetricDirection } from '../core/metric-direction.js';
import type { TrialStatus } from '../records/trial-record.js';
import { runningBest } from '../report/improvement.js';

export interface ChartPointInput {
  index: number;
  status: TrialStatus;
  /** Null when the trial measured nothing (crash, timeout, rejected). */
  metric: number | null;
  /** Whether it was measured under load; absent where the database does not record it. */
  underLoad?: boolean | null;
}

/** Something that happened between trial `after` and trial `after + 1`. */
export interface ChartEvent {
  after: number;
  kind: 'outer-cycle' | 'meta-session' | 'activated' | 'retired';
  /** One line for people (shown as text). */
  label: string;
}

export interface RunChartInput {
  metricName: string;
  direction: MetricDirection;
  trials: readonly ChartPointInput[];
  snapshots: readonly { cycle: number; afterTrial: number; changes: readonly string[] }[];
  sessions: readonly { afterTrial: number; outcome: string; mechanism: string | null }[];
  lifecycle: readonly {
    name: string;
    activatedAtTrial: number;
    retiredAtTrial: number | null;
    reason: string | null;
  }[];
}

export interface RunChartData {
  metricName: string;
  direction: MetricDirection;
  /** Trial indices, ascending; a trial not recorded yet (in flight) is a gap. */
  index: number[];
  status: TrialStatus[];
  /** Each trial's measured metric; null where it measured nothing. */
  metric: (number | null)[];
  /** The best kept metric up to and including each trial (the step line); null before the first kept metric. */
  best: (number | null)[];
  /**
   * The metric range the chart shows: the best-so-far path with room around it. A measured metric outside it is
   * drawn at the nearer edge as an off-scale marker (it would flatten the chart); null when nothing was measured.
   */
  range: { low: number; high: number } | null;
  /** Points measured outside `range` (counted so the page can say so). */
  offScale: number;
  /** Per point, measured under load; present only where the database records it. */
  underLoad?: (boolean | null)[];
  events: ChartEvent[];
}

/** Builds the chart's data from a run's records; pure and deterministic. */
export function runChartData(input: RunChartInput): RunChartData {
  const trials = [...input.trials].sort((a, b) => a.index - b.index);
  const metric = trials.map((trial) => (trial.metric !== null && Number.isFinite(trial.metric) ? trial.metric : null));
  const best = runningBest(
    trials.map((trial, position) => (trial.status === 'keep' ? (metric[position] ?? null) : null)),
    input.direction,
  );
  const range = visibleRange(best, metric, input.direction);
  const offScale =
    range === null ? 0 : metric.filter((value) => value !== null && (value < range.low || value > range.high)).length;
  const data: RunChartData = {
    metricName: input.metricName,
    direction: input.direction,
    index: trials.map((trial) => trial.index),
    status: trials.map((trial) => trial.status),
    metric,
    best,
    range,
    offScale,
    events: chartEvents(input),
  };
  if (trials.some((trial) => trial.underLoad !== undefined))
    data.underLoad = trials.map((trial) => trial.underLoad ?? null);
  return data;
}

/**
 * The best-so-far path plus a margin on the better side and two path spans on the worse side (a span is at least
 * 1% of the first best value), so discarded trials near the path show and far-off ones go to the edge. Without a
 * kept metric, every measured metric.
 */
function visibleRange(
  best: readonly (number | null)[],
  metric: readonly (number | null)[],
  direction: MetricDirection,
): { low: number; high: number } | null {
  const anchors = best.filter((value): value is number => value !== null);
  if (anchors.length === 0) {
    const measured = metric.filter((value): value is number => value !== null);
    if (measured.length === 0) return null;
    const low = Math.min(...measured);
    const high = Math.max(...measured);
    const pad = Math.max((high - low) * 0.05, Math.abs(low) * 0.005, 1e-9);
    return { low: low - pad, high: high + pad };
  }
  const low = Math.min(...anchors);
  const high = Math.max(...anchors);
  const span = Math.max(high - low, Math.abs(anchors[0] as number) * 0.01, 1e-9);
  return direction === 'minimize'
    ? { low: low - 0.15 * span, high: high + 2 * span }
    : { low: low - 2 * span, high: high + 0.15 * span };
}

function chartEvents(input: RunChartInput): ChartEvent[] {
  const events: ChartEvent[] = [];
  for (const snapshot of input.snapshots) {
    const changes = snapshot.changes.length === 0 ? 'no change' : snapshot.changes.join('; ');
    events.push({
      after: snapshot.afterTrial,
      kind: 'outer-cycle',
      label: `Level 1.5 cycle ${snapshot.cycle}: ${changes}`,
    });
  }
  // An activating session shows as its mechanism's activation; the others (nothing chosen, refused, …) as themselves.
  for (const session of input.sessions) {
    if (session.outcome === 'activated') continue;
    events.push({
      after: session.afterTrial,
      kind: 'meta-session',
      label: `Level 2 session: ${session.outcome}${session.mechanism ? ` (${session.mechanism})` : ''}`,
    });
  }
  for (const entry of input.lifecycle) {
    events.push({ after: entry.activatedAtTrial, kind: 'activated', label: `activated ${entry.name}` });
    if (entry.retiredAtTrial !== null) {
      events.push({
        after: entry.retiredAtTrial,
        kind: 'retired',
        label: `retired ${entry.name}${entry.reason ? `: ${entry.reason}` : ''}`,
      });
    }
  }
  return events.sort((a, b) => a.after - b.after);
}
