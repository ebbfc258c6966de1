// Builds what a session needs from a run's stored config: the proposer, the mechanisms and Level 1.5.
// Used by both `run` and `resume`, so a resumed run is assembled exactly like the original.
import { BilevelError } from '../core/errors.js';
import type { Database } from '../storage/database.js';
import type { RunRecord } from '../storage/runs-table.js';
import type { Task } from '../task/load-task.js';
import type { SessionParts } from './open-run.js';
import { createRandomProposer } from './random-proposer.js';

export async function buildSessionParts(
  _database: Database,
  run: RunRecord,
  _task: Task,
  options: Pick<SessionParts, 'signal' | 'onProgress' | 'executor'>,
): Promise<SessionParts> {
  const { config } = run;
  if (config.proposer !== 'random') {
    throw new BilevelError('CONFIG', 'the LLM proposer is not available in this build', {
      hint: 'use --proposer random',
    });
  }
  return { ...options, proposer: createRandomProposer() };
}
