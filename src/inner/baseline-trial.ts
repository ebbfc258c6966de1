// Trial 0: the unmodified task, measured once; it becomes the first incumbent if it produced a metric.
import type { TrialRecord } from '../records/trial-record.js';
import { executeTrial } from './execute-trial.js';
import { executionFields, record } from './record-trial.js';
import type { RunSession } from './run-session.js';

export async function runBaseline(session: RunSession): Promise<TrialRecord> {
  const startedAt = new Date().toISOString();
  await session.workspace.resetTo(session.run.baselineCommit);
  const execution = await executeTrial(session, 0, 0);
  const { measurement } = execution;
  const ok = measurement.status === 'ok';
  return record(session, {
    index: 0,
    status: ok ? 'keep' : measurement.status === 'timeout' ? 'timeout' : 'crash',
    metric: measurement.metric,
    parent: 0,
    commit: session.run.baselineCommit,
    values: session.task.defaults,
    changed: {},
    summary: 'baseline',
    reason: measurement.reason,
    proposal: null,
    attempts: [],
    confirmations: [],
    diff: '',
    ...executionFields(execution),
    startedAt,
  });
}
