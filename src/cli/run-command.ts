// `bilevel run`: start a new run on a task and drive it to the end.
import type { Command } from 'commander';
import { driveRun } from '../inner/run-loop.js';
import { resolveDefaultLlm } from '../llm/llm-configuration.js';
import type { RunConfig } from '../records/run-config.js';
import { createRun, openSession } from '../run/open-run.js';
import { parseRunOptions, type RunFlags } from '../run/run-options.js';
import { buildSessionParts, checkLlmConfig } from '../run/session-parts.js';
import { openDatabase } from '../storage/database.js';
import { updateRunState } from '../storage/runs-table.js';
import { loadTask } from '../task/load-task.js';
import { finishRunCommand, withInterruptSignal } from './drive.js';
import { addLlmSettingsOptions } from './llm-options.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('start a run: baseline, then trials (propose → run → measure → keep or discard)')
    .option('--task <name|dir>', 'built-in task name or task folder', 'tinygpt')
    .option('--proposer <kind>', 'llm or random (random needs no LLM)')
    .option(
      '--llm <id>',
      'model id, provider:model (openai:…, anthropic:…, deepseek:…, openai-compatible:…, local:PATH.gguf, replay:FILE)',
    )
    .option(
      '--llm-role <role=id>',
      'a model for one role (propose, analyze, research, fix) instead of --llm; repeatable. The paper keeps one model at every level',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--llm-base-url <url>', 'base URL for openai-compatible servers (Ollama, vLLM, llama.cpp, LM Studio)')
    .option('--levels <list>', 'levels to run: 1, 1,1.5, 1,2 or 1,1.5,2')
    .option('--trials <n>', 'trials after the baseline', '20')
    .option('--budget <seconds>', "training budget per trial (default: the task's)")
    .option(
      '--timeout <seconds>',
      "hard limit per trial (default: the task's; with --budget, 1.5 × budget + the task's own margin over its budget)",
    )
    .option('--mode <mode>', 'params (change constants) or code (edit files)')
    .option('--seed <n>', 'run seed: proposals, mechanisms and the task noise replay from it', '0')
    .option('--mechanisms <names>', 'comma-separated built-in or library mechanisms to activate')
    .option(
      '--mechanism-param <name.param=value>',
      'set a mechanism param, e.g. plateau-restart.patience=8 (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--noise-threshold <x>', 'keep only if better than the incumbent by more than this', '0')
    .option('--outer-every <k>', 'Level 1.5 runs after every K trials (default 5)')
    .option('--meta-every <m>', 'Level 2 runs after every M-th Level 1.5 cycle, i.e. every M×K trials (default 2)')
    .option('--meta-plateau <n>', 'Level 2 also runs after N trials without a new best (default 10)')
    .option(
      '--probation-window <n>',
      'trials an injected mechanism is watched before it is kept or retired (default 10)',
    )
    .option('--repair-attempts <n>', 'times a generated module that fails the gate goes back to the model (default 2)')
    .option('--record <file>', 'record every LLM exchange to this cassette file')
    .option('--max-cost-usd <x>', 'stop (resumable) before LLM spending would pass this')
    .option('--max-llm-calls <n>', 'stop (resumable) before this many LLM calls')
    .option('--json', 'print the final status as JSON on stdout (progress goes to stderr)');
  addLlmSettingsOptions(command);
  addStateDirOption(command);
  command.action(async (flags: RunFlags & { stateDir?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    const task = await loadTask(flags.task);
    const defaultLlm = flags.proposer === 'random' || flags.llm ? undefined : await resolveDefaultLlm();
    const config: Omit<RunConfig, 'taskDir'> = parseRunOptions(flags, task, defaultLlm);
    await checkLlmConfig(config.llm);
    const database = openDatabase(stateDir);
    try {
      const { run } = await createRun(database, stateDir, config, task);
      const finalConfig = run.config;
      await withInterruptSignal(async (signal, progress) => {
        progress.onProgress({
          type: 'note',
          message: `run ${run.id} on ${task.definition.name} (${describe(finalConfig)})`,
        });
        const parts = await buildSessionParts(database, run, task, {
          signal,
          onProgress: progress.onProgress,
          stateDir,
        }).catch((error: unknown) => {
          // The run was recorded but cannot start (e.g. a bad mechanism param): mark it, do not leave it `running`.
          updateRunState(database, run.id, 'failed', `could not start: ${(error as Error).message}`, null);
          throw error;
        });
        const session = await openSession(database, stateDir, { run, task }, parts);
        const end = await driveRun(session);
        return finishRunCommand(database, run.id, end, Boolean(flags.json), progress);
      }, Boolean(flags.json));
    } finally {
      database.close();
    }
  });
}

function describe(config: RunConfig): string {
  return `levels ${config.levels.join(',')}, proposer ${config.proposer}, ${config.trials} trials, budget ${config.budgetSeconds} s, seed ${config.seed}`;
}
