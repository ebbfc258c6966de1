// Trial counts for every summary: by status in one fixed order, and recorded against planned (baseline included).
import { trialStatuses } from '../records/trial-record.js';

/** "3 keep, 10 discard, 1 crash": the statuses present, always in the same order; '' when there are none. */
export function formatStatusCounts(statuses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  const known: readonly string[] = trialStatuses;
  const order = [...known, ...[...counts.keys()].filter((status) => !known.includes(status)).sort()];
  return order
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(', ');
}

/** What is counted, said the same way everywhere: trial 0 is the baseline, `--trials N` plans N trials after it. */
export function trialsCounted(recorded: number, plannedAfterBaseline: number): string {
  return `${recorded} recorded of ${plannedAfterBaseline + 1} planned (baseline + ${plannedAfterBaseline})`;
}
