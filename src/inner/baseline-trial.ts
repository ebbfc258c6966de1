// Trial 0: the unmodified task, measured once; it becomes the first incumbent if it produced a metric.
import { BilevelError } from '../core/errors.js';
import type { TrialRecord } from '../records/trial-record.js';
import { executeTrial } from './execute-trial.js';
import { executionFields, record } from './record-trial.js';
import type { RunSession } from './run-session.js';

export async function runBaseline(session: RunSession): Promise<TrialRecord> {
  const startedAt = new Date().toISOString();
  const slot = session.slots[0];
  if (!slot) throw new BilevelError('INTERNAL', 'a run session without a slot', { hint: 'report this as a bug' });
  await slot.workspace.resetTo(session.run.baselineCommit);
  const execution = await executeTrial(session, slot, 0, 0);
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
    proposer: null,
    attempts: [],
    confirmations: [],
    diff: '',
    ...executionFields(execution),
    worker: slot.worker,
    inFlight: [],
    startedAt,
  });
}
