// The run's active mechanisms: loaded by name, composed, their counters and state restored on a resume.

import { recordedTrace } from '../inner/run-trace.js';
import { loadLifecycleRuntime, loadMechanismRuntimes } from '../library/library-runtime.js';
import { type ComposedMechanisms, composeMechanisms } from '../mechanisms/compose.js';
import type { MechanismActivity } from '../mechanisms/mechanism-activity.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import { rebuildState } from '../mechanisms/replay.js';
import type { RunRecord } from '../records/run-record.js';
import type { Database } from '../storage/database.js';
import { listMechanismActivity, type MechanismEventRow } from '../storage/mechanism-tables.js';
import { listLifecycle } from '../storage/meta-tables.js';
import { listTrialsInRecordOrder } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';

export interface RunMechanisms {
  composed: ComposedMechanisms;
  /** Events (changed decisions, strikes, retirements) waiting to be stored with the next trial. */
  pendingEvents: MechanismEventRow[];
}

/**
 * Loads the run's mechanisms (built-ins in process, library ones in the sandbox) and composes them. On a resume,
 * their counters come back from storage and their state is rebuilt by replaying the recorded trials through
 * `onTrialEnd` (mechanisms are deterministic for a seed, so the state is the one the interrupted run had).
 * With Level 2 the set always exists (it may start empty), and on a resume the mechanisms Level 2 activated come
 * back in their activation order, the retired ones retired, so decisions match an uninterrupted run.
 */
export async function loadRunMechanisms(
  database: Database,
  stateDir: string,
  run: RunRecord,
  task: Task,
): Promise<RunMechanisms | undefined> {
  const withMeta = run.config.levels.includes('2');
  if (run.config.mechanisms.length === 0 && !withMeta) return undefined;
  const lifecycle = withMeta ? listLifecycle(database, run.id) : [];
  const runtimes = await loadMechanismRuntimes(run.config.mechanisms, stateDir);
  try {
    for (const entry of lifecycle) runtimes.push(await loadLifecycleRuntime(stateDir, entry));
  } catch (error) {
    await Promise.all(runtimes.map((runtime) => runtime.dispose()));
    throw error;
  }
  const pendingEvents: MechanismEventRow[] = [];
  const composed = composeMechanisms(runtimes, {
    onEvent: (event) =>
      pendingEvents.push({
        runId: run.id,
        trialIndex: event.trialIndex,
        mechanism: event.mechanism,
        kind: event.kind,
        hook: event.hook,
        before: event.before,
        after: event.after,
        detail: event.detail,
      }),
  });
  const saved = listMechanismActivity(database, run.id).map(({ activity }) => activity as MechanismActivity);
  if (saved.length > 0) composed.restoreActivity(saved);
  // A retirement after the last stored trial is not in the saved counters yet; its event is stored with the next trial.
  for (const entry of lifecycle) {
    if (entry.retiredAtTrial !== null) composed.retire(entry.name, entry.reason ?? 'retired by Level 2');
  }
  // The configured params are set once here; the replay's own init(seed) keeps them.
  await composed.init(run.config.seed, run.config.mechanismConfigs ?? {});
  const recorded = listTrialsInRecordOrder(database, run.id);
  if (recorded.length > 0) {
    await rebuildState(composed, recordedTrace(database, run, task, recorded.map(toTrialRecordView)));
  }
  return { composed, pendingEvents };
}
