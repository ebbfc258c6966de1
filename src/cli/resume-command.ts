// `bilevel resume RUN_ID`: continue a run that was killed, interrupted or stopped by a budget cap.
import type { Command } from 'commander';
import { openSession, reopenRun } from '../inner/open-run.js';
import { driveRun } from '../inner/run-loop.js';
import { buildSessionParts } from '../inner/session-parts.js';
import { openDatabase } from '../storage/database.js';
import { finishRunCommand, withInterruptSignal } from './drive.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerResumeCommand(program: Command): void {
  const command = program
    .command('resume')
    .description('continue a stopped run: finished trials are kept, the interrupted one is run again')
    .argument('<run-id>', 'the run to continue (see `bilevel status`)')
    .option('--json', 'print the final status as JSON on stdout (progress goes to stderr)');
  addStateDirOption(command);
  command.action(async (runId: string, flags: { stateDir?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    const database = openDatabase(stateDir);
    try {
      const opened = await reopenRun(database, stateDir, runId);
      await withInterruptSignal(async (signal, progress) => {
        const done = opened.run.config.trials;
        progress.onProgress({
          type: 'note',
          message: `resuming run ${runId} (${opened.run.state}; plan: ${done} trials)`,
        });
        const parts = await buildSessionParts(database, opened.run, opened.task, {
          signal,
          onProgress: progress.onProgress,
        });
        const session = await openSession(database, stateDir, opened, parts);
        const end = await driveRun(session);
        finishRunCommand(database, runId, end, Boolean(flags.json), progress);
      }, Boolean(flags.json));
    } finally {
      database.close();
    }
  });
}
