// `bilevel run`: start a new run on a task and drive it to the end.

import type { Command } from 'commander';
import { checkMechanismNames } from '../library/library-runtime.js';
import { resolveDefaultLlm } from '../llm/llm-configuration.js';
import { proposerUsesLlm } from '../records/proposer-spec.js';
import { checkProposerAvailable } from '../run/build-proposer.js';
import { launchRun } from '../run/launch-run.js';
import { levelReachWarnings } from '../run/level-reach.js';
import { createRun } from '../run/open-run.js';
import { resolveIsolation } from '../run/resolve-isolation.js';
import { runConfigFrom } from '../run/run-options.js';
import { checkLlmConfig } from '../run/session-parts.js';
import { openDatabase } from '../storage/database.js';
import { loadTask } from '../task/load-task.js';
import { finishRunCommand, runHeader, withInterruptSignal } from './drive.js';
import { describeProposers, proposerAvailability } from './proposer-availability.js';
import { addRunSettingOptions, readRunSettings } from './setting-options.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('start a run: baseline, then trials (propose → run → measure → keep or discard)');
  addRunSettingOptions(command, 'run');
  command.option('--json', 'print the final status as JSON on stdout (progress goes to stderr)');
  addStateDirOption(command);
  // Checked when the help is shown: which proposers can run on this machine.
  command.addHelpText('after', () => `\n${describeProposers(proposerAvailability())}`);
  command.action(async (flags: { stateDir?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    const values = readRunSettings(command, 'run');
    const task = await loadTask(values.task ?? 'tinygpt');
    const needsModel = proposerUsesLlm(values.proposer ?? 'llm') && !values.llm?.default;
    const defaultLlm = needsModel ? await resolveDefaultLlm() : undefined;
    const config = runConfigFrom(values, task, defaultLlm);
    await checkLlmConfig(config.llm);
    resolveIsolation(config.isolation); // --isolation jail refuses here, before a run exists

    checkProposerAvailable([config.proposer], config.python);
    checkMechanismNames(config.mechanisms, stateDir);
    const database = openDatabase(stateDir);
    try {
      const { run } = await createRun(database, stateDir, config, task);
      const finalConfig = run.config;
      await withInterruptSignal(async (signal, progress) => {
        progress.onProgress({
          type: 'note',
          message: `run ${run.id} on ${task.definition.name} (${runHeader(finalConfig, finalConfig.mechanisms)})`,
        });
        for (const warning of levelReachWarnings(finalConfig)) {
          progress.onProgress({ type: 'note', message: `warning: ${warning}` });
        }
        const end = await launchRun(database, { run, task }, { signal, onProgress: progress.onProgress, stateDir });
        return finishRunCommand(database, run.id, end, Boolean(flags.json), progress);
      }, Boolean(flags.json));
    } finally {
      database.close();
    }
  });
}
