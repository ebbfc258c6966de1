// Run ids: sortable by start time, short enough to type.
import { randomBytes } from 'node:crypto';

/** A run id like `20261126-162455-a3f9`: UTC start time plus 4 random hex digits. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
