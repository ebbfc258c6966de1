// A study run's mechanisms with the study's params (the restart protocol), because a run config stores names only.
// Mirrors `loadRunMechanisms` (src/inner/run-mechanisms.ts) plus per-mechanism params; see the report's note.
import { toTrialView, toTunableView } from '../inner/live-context.js';
import type { SessionParts } from '../inner/open-run.js';
import { defaultSearchSettings, type SearchSettings } from '../inner/search-settings.js';
import { composeMechanisms } from '../mechanisms/compose.js';
import { loadMechanismRuntimes } from '../mechanisms/library-runtime.js';
import type { Value } from '../mechanisms/mechanism.js';
import type { MechanismActivity } from '../mechanisms/mechanism-activity.js';
import { rebuildState } from '../mechanisms/replay.js';
import type { Database } from '../storage/database.js';
import { listMechanismActivity, type MechanismEventRow } from '../storage/mechanism-tables.js';
import type { RunRecord } from '../storage/runs-table.js';
import { listSettingsSnapshots } from '../storage/settings-table.js';
import { listTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';

/**
 * Replaces the mechanisms in `parts` (built with default params) by ones configured with `configs`: counters are
 * restored from storage and, on a resume, state is rebuilt by replaying the recorded trials with those params.
 */
export async function withStudyMechanisms(
  parts: SessionParts,
  database: Database,
  stateDir: string,
  run: RunRecord,
  task: Task,
  configs: Readonly<Record<string, Record<string, Value>>>,
): Promise<SessionParts> {
  if (Object.keys(configs).length === 0 || run.config.mechanisms.length === 0) return parts;
  await parts.dispose?.();
  const runtimes = await loadMechanismRuntimes(run.config.mechanisms, stateDir);
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
  // Sets the params once; a later `init(seed)` without configs keeps them.
  await composed.init(run.config.seed, configs);
  const recorded = listTrials(database, run.id);
  if (recorded.length > 0) {
    const snapshots = listSettingsSnapshots<{ afterTrial: number; settings: SearchSettings }>(database, run.id);
    const settingsAt = (index: number): SearchSettings =>
      snapshots.filter((snapshot) => snapshot.afterTrial < index).at(-1)?.settings ?? defaultSearchSettings;
    await rebuildState(composed, {
      version: 'trace-v1',
      seed: run.config.seed,
      task: {
        name: task.definition.name,
        metric: { name: task.definition.metric.name, direction: task.definition.metric.direction },
        mode: run.config.mode,
      },
      tunables: task.params.map(toTunableView),
      settings: defaultSearchSettings,
      trials: recorded
        .map(toTrialView)
        .map((trial) => ({ ...trial, proposal: null, outcome: null, settings: settingsAt(trial.index) })),
    });
  }
  return {
    ...parts,
    mechanisms: composed,
    mechanismActivity: () => composed.activity(),
    pendingEvents,
    dispose: () => composed.dispose(),
  };
}
