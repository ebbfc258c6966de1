// When a param was last frozen or unfrozen, read from the earlier cycles' snapshots.
import type { SettingsSnapshot } from '../records/settings-snapshot.js';

/**
 * The trial after which `name` was frozen: the `afterTrial` of the first snapshot of the latest
 * unbroken run of snapshots that freeze it, ending at the last one. Undefined when the last
 * snapshot does not freeze it (e.g. no snapshots yet, or the settings came from elsewhere).
 */
export function frozenSince(name: string, previous: readonly SettingsSnapshot[]): number | undefined {
  let since: number | undefined;
  for (let position = previous.length - 1; position >= 0; position -= 1) {
    const snapshot = previous[position] as SettingsSnapshot;
    if (!snapshot.settings.frozen.includes(name)) break;
    since = snapshot.afterTrial;
  }
  return since;
}

/** The trial after which `name` was last unfrozen (frozen in one snapshot, active in the next), if ever. */
export function unfrozenAt(name: string, previous: readonly SettingsSnapshot[]): number | undefined {
  for (let position = previous.length - 1; position >= 1; position -= 1) {
    const snapshot = previous[position] as SettingsSnapshot;
    const before = previous[position - 1] as SettingsSnapshot;
    if (before.settings.frozen.includes(name) && !snapshot.settings.frozen.includes(name)) return snapshot.afterTrial;
  }
  return undefined;
}
