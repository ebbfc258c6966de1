// A stored run's convergence chart data: its trials, Level 1.5 cycles and mechanism changes, read from the database.
import { parseSettingsSnapshot } from '../records/settings-snapshot.js';
import type { Database } from '../storage/database.js';
import { listMechanismEvents } from '../storage/mechanism-tables.js';
import { getRun } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { listTrials } from '../storage/trials-table.js';
import { type ChartEvent, type RunChartData, runChartData } from './charts/run-chart-data.js';
import { buildRunStatus, type RunStatus } from './run-status.js';

/**
 * The events between trials: each Level 1.5 cycle, each mechanism Level 2 activated, and each retirement (by
 * probation, or by strikes for a mechanism the run started with).
 */
export function runChartEvents(
  cycles: readonly { cycle: number; afterTrial: number }[],
  mechanisms: RunStatus['mechanisms'],
  retirements: readonly { mechanism: string; trialIndex: number }[],
): ChartEvent[] {
  const events: ChartEvent[] = cycles.map((cycle) => ({
    afterTrial: cycle.afterTrial,
    kind: 'level-1.5',
    label: `cycle ${cycle.cycle}`,
  }));
  for (const mechanism of mechanisms) {
    if ((mechanism.activatedAt ?? 0) > 0) {
      events.push({ afterTrial: mechanism.activatedAt as number, kind: 'activated', label: mechanism.name });
    }
    if (mechanism.retiredAt !== undefined && mechanism.retiredAt !== null) {
      events.push({ afterTrial: mechanism.retiredAt, kind: 'retired', label: mechanism.name });
    }
  }
  for (const retirement of retirements) {
    const known = events.some((event) => event.kind === 'retired' && event.label === retirement.mechanism);
    if (!known) events.push({ afterTrial: retirement.trialIndex, kind: 'retired', label: retirement.mechanism });
  }
  return events.sort((left, right) => left.afterTrial - right.afterTrial);
}

/** The chart data of a run in any state: every recorded trial, the plan, and what happened between trials. */
export function runChartDataFor(
  database: Database,
  runId: string,
  status = buildRunStatus(database, runId),
): RunChartData {
  const run = getRun(database, runId);
  const retirements = listMechanismEvents(database, runId).filter((event) => event.kind === 'retired');
  return runChartData({
    metricName: run.metric.name,
    direction: run.metric.direction,
    trials: listTrials(database, runId),
    plannedTrials: run.config.trials,
    events: runChartEvents(
      listSettingsSnapshots(database, runId).map(parseSettingsSnapshot),
      status.mechanisms,
      retirements,
    ),
  });
}
