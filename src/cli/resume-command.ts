// `bilevel resume RUN_ID`: continue a run that was killed, interrupted, or stopped by a cap or an LLM outage.

import type { Command } from 'commander';
import { BilevelError } from '../core/errors.js';
import type { RunRecord } from '../records/run-record.js';
import { buildRunStatus } from '../report/run-status.js';
import { trialsCounted } from '../report/status-counts.js';
import { launchRun } from '../run/launch-run.js';
import { reopenRun } from '../run/open-run.js';
import { type RunSettingValues, slotCount } from '../run/run-options.js';
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
      const overrides = readRunSettings(command, 'resume');
      const opened = await reopenRun(database, stateDir, runId);
      applyResumeSettings(database, opened.run, overrides);
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
 * Settings given to `resume` replace the stored ones: the LLM caps, patience and prices (the run was stopped by a
 * cap or an outage, and the user raised the cap or the patience), and how many trials run at once.
 */
function applyResumeSettings(database: Database, run: RunRecord, overrides: RunSettingValues): void {
  const { llm, ...execution } = overrides;
  if (llm && Object.keys(llm).length > 0 && !run.config.llm) {
    throw new BilevelError('USAGE', `run ${run.id} uses no LLM, so it has no LLM settings to change`, {
      hint: 'resume it without --max-cost-usd / --max-llm-calls / --llm-patience / --prices',
    });
  }
  if (Object.keys(execution).length === 0 && !llm) return;
  const gpus = execution.gpus ?? run.config.gpus;
  const workers = slotCount({ workers: execution.workers ?? execution.gpus?.length ?? run.config.workers, gpus });
  run.config = {
    ...run.config,
    ...execution,
    workers,
    ...(gpus === undefined ? {} : { gpus }),
    ...(llm && run.config.llm ? { llm: { ...run.config.llm, ...llm } } : {}),
  };
  updateRunConfig(database, run.id, run.config);
}
