// `bilevel resume RUN_ID`: continue a run that was killed, interrupted, or stopped by a cap or an LLM outage.
import type { Command } from 'commander';
import { BilevelError } from '../core/errors.js';
import { driveRun } from '../inner/run-loop.js';
import { openSession, reopenRun } from '../run/open-run.js';
import { parseLlmOverrides } from '../run/run-options.js';
import { buildSessionParts } from '../run/session-parts.js';
import { type Database, openDatabase } from '../storage/database.js';
import { type RunRecord, updateRunConfig } from '../storage/runs-table.js';
import { finishRunCommand, withInterruptSignal } from './drive.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerResumeCommand(program: Command): void {
  const command = program
    .command('resume')
    .description('continue a stopped run: finished trials are kept, the interrupted one is run again')
    .argument('<run-id>', 'the run to continue (see `bilevel status`)')
    .option('--max-cost-usd <x>', 'raise (or set) the LLM cost cap before continuing')
    .option('--max-llm-calls <n>', 'raise (or set) the LLM call cap before continuing')
    .option('--llm-patience <seconds>', 'change how long a failing LLM call is retried before the run stops')
    .option('--prices <file>', 'replace the JSON price table used for cost estimates and --max-cost-usd')
    .option('--json', 'print the final status as JSON on stdout (progress goes to stderr)');
  addStateDirOption(command);
  command.action(async (runId: string, flags: ResumeFlags) => {
    const stateDir = stateDirFrom(flags);
    const database = openDatabase(stateDir);
    try {
      const overrides = parseLlmOverrides(flags);
      const opened = await reopenRun(database, stateDir, runId);
      applyLlmOverrides(database, opened.run, overrides);
      await withInterruptSignal(async (signal, progress) => {
        const done = opened.run.config.trials;
        progress.onProgress({
          type: 'note',
          message: `resuming run ${runId} (${opened.run.state}; plan: ${done} trials)`,
        });
        const parts = await buildSessionParts(database, opened.run, opened.task, {
          signal,
          onProgress: progress.onProgress,
          stateDir,
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

interface ResumeFlags {
  stateDir?: string;
  json?: boolean;
  maxCostUsd?: string;
  maxLlmCalls?: string;
  llmPatience?: string;
  prices?: string;
}

/**
 * LLM settings given to `resume` replace the stored ones (the run was stopped by a cap or an outage, and the user
 * raised the cap or the patience).
 */
function applyLlmOverrides(database: Database, run: RunRecord, overrides: ReturnType<typeof parseLlmOverrides>): void {
  if (Object.keys(overrides).length === 0) return;
  if (!run.config.llm) {
    throw new BilevelError('USAGE', `run ${run.id} uses no LLM, so it has no LLM settings to change`, {
      hint: 'resume it without --max-cost-usd / --max-llm-calls / --llm-patience / --prices',
    });
  }
  run.config = { ...run.config, llm: { ...run.config.llm, ...overrides } };
  updateRunConfig(database, run.id, run.config);
}
