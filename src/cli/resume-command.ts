// `bilevel resume RUN_ID`: continue a run that was killed, interrupted, or stopped by a cap or an LLM outage.

import type { Command } from 'commander';
import { BilevelError } from '../core/errors.js';
import type { RunRecord } from '../records/run-record.js';
import { buildRunStatus } from '../report/run-status.js';
import { trialsCounted } from '../report/status-counts.js';
import { launchRun } from '../run/launch-run.js';
import { reopenRun } from '../run/open-run.js';
import type { RunSettingValues } from '../run/run-options.js';
import { type Database, openDatabase } from '../storage/database.js';
import { updateRunConfig } from '../storage/runs-table.js';
import { finishRunCommand, runHeader, withInterruptSignal } from './drive.js';
import { addRunSettingOptions, readRunSettings } from './setting-options.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerResumeCommand(program: Command): void {
  const command = program
    .command('resume')
    .description('continue a stopped run: finished trials are kept, the interrupted one is run again')
    .argument('<run-id>', 'the run to continue (see `bilevel status`)');
  addRunSettingOptions(command, 'resume');
  command.option('--json', 'print the final status as JSON on stdout (progress goes to stderr)');
  addStateDirOption(command);
  command.action(async (runId: string, flags: { stateDir?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    const database = openDatabase(stateDir);
    try {
      const overrides = readRunSettings(command, 'resume').llm ?? {};
      const opened = await reopenRun(database, stateDir, runId);
      applyLlmOverrides(database, opened.run, overrides);
      await withInterruptSignal(async (signal, progress) => {
        const status = buildRunStatus(database, runId);
        const retired = status.mechanisms.filter((mechanism) => mechanism.status === 'retired').map(({ name }) => name);
        const active = [...new Set([...opened.run.config.mechanisms, ...status.mechanisms.map(({ name }) => name)])];
        const recorded = trialsCounted(status.trials.length, opened.run.config.trials);
        progress.onProgress({
          type: 'note',
          message:
            `resuming run ${runId} (${opened.run.state}; ${recorded}; ` +
            `${runHeader(
              opened.run.config,
              active.filter((name) => !retired.includes(name)),
            )})`,
        });
        const end = await launchRun(database, opened, { signal, onProgress: progress.onProgress, stateDir });
        finishRunCommand(database, runId, end, Boolean(flags.json), progress);
      }, Boolean(flags.json));
    } finally {
      database.close();
    }
  });
}

/**
 * LLM settings given to `resume` replace the stored ones (the run was stopped by a cap or an outage, and the user
 * raised the cap or the patience).
 */
function applyLlmOverrides(database: Database, run: RunRecord, overrides: RunSettingValues['llm'] & object): void {
  if (Object.keys(overrides).length === 0) return;
  if (!run.config.llm) {
    throw new BilevelError('USAGE', `run ${run.id} uses no LLM, so it has no LLM settings to change`, {
      hint: 'resume it without --max-cost-usd / --max-llm-calls / --llm-patience / --prices',
    });
  }
  run.config = { ...run.config, llm: { ...run.config.llm, ...overrides } };
  updateRunConfig(database, run.id, run.config);
}
