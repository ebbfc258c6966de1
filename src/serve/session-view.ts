// One Level 2 meta session whole, for its page: what it saw (the diagnosis), every prompt and reply, the chosen
// candidate, every module source with its gate report, and the outcome.
import type { Database } from '../storage/database.js';
import { listMetaSessions, type MetaSessionRecord } from '../storage/meta-tables.js';
import { getRun } from '../storage/runs-table.js';

export interface SessionView extends MetaSessionRecord {
  task: string;
  /** The sessions before and after it in the run, for the page's links. */
  previous: string | null;
  next: string | null;
}

/** The session, or undefined when the run has no session with that id (a missing run is RUN_NOT_FOUND). */
export function buildSessionView(database: Database, runId: string, sessionId: string): SessionView | undefined {
  const run = getRun(database, runId);
  const sessions = listMetaSessions(database, runId);
  const position = sessions.findIndex((session) => session.id === sessionId);
  const session = sessions[position];
  if (!session) return undefined;
  return {
    ...session,
    task: run.taskName,
    previous: sessions[position - 1]?.id ?? null,
    next: sessions[position + 1]?.id ?? null,
  };
}
