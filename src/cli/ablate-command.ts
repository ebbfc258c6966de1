// `bilevel ablate`: the paper's experiment as one resumable command — groups × repeats of runs, then statistics.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runStudy } from '../ablate/run-study.js';
import { buildStudyDefinition, type StudyFlags, studyReachWarnings } from '../ablate/study-config.js';
import { type StudyDefinition, studyId } from '../ablate/study-definition.js';
import { createStudyProgress } from '../ablate/study-progress.js';
import { buildStudyReport, type StudyReport } from '../ablate/study-report.js';
import { writeStudyReport } from '../ablate/write-study-report.js';
import { displayLine, displayText } from '../core/display-text.js';
import { BilevelError } from '../core/errors.js';
import { resolveDefaultLlm } from '../llm/llm-configuration.js';
import { groupSettings } from '../records/run-settings.js';
import { positiveNumber } from '../records/setting-parsers.js';
import { checkProposerAvailable } from '../run/build-proposer.js';
import { resolveIsolation } from '../run/resolve-isolation.js';
import { checkLlmConfig } from '../run/session-parts.js';
import { openDatabase } from '../storage/database.js';
import { loadTask } from '../task/load-task.js';
import { withInterruptSignal } from './drive.js';
import { exitCodes } from './exit-codes.js';
import { addRunSettingOptions, readRunSettings } from './setting-options.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerAblateCommand(program: Command): void {
  const command = program
    .command('ablate')
    .description('compare groups of levels/mechanisms over repeated runs, with statistics (resumable: run it again)')
    .option('--groups <names>', 'groups to compare, in order: built-in A,B,C,D or names from --group-def', undefined)
    .option(
      '--group-def <NAME:key=value;…>',
      `define a group (repeatable), e.g. "A-tabu:levels=1;mechanisms=tabu"; keys: ${Object.keys(groupSettings).join(', ')}`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--groups-file <file>', 'JSON array of groups: [{"name","levels","mechanisms", …}]')
    .option('--repeats <n>', 'runs per group; repeat r uses seed r (see --first-seed)', '3')
    .option('--first-seed <n>', 'seed of repeat 0; repeat r uses first-seed + r in every group', '0')
    .option(
      '--baseline <kind>',
      "per-group (each run from its own trial 0) or shared (from the repeat's first group)",
      'per-group',
    )
    .option('--restart <from>', 'restart protocol in every group: none, best or last (plateau-restart)', 'none')
    .option('--restart-every <n>', 'trials without a new best before a restart', '8')
    .option('--restart-duration <n>', 'trials of wide exploration after a restart', '2')
    .option(
      '--max-study-cost-usd <x>',
      'LLM cost cap for the whole study: each run gets what is left (raise it and run again to go on)',
      positiveNumber('--max-study-cost-usd'),
    )
    .option('--out <dir>', 'where report.md, report.json and convergence.svg/png go (default: STATE_DIR/studies/ID)');
  addRunSettingOptions(command, 'ablate');
  addStateDirOption(command);
  command.addHelpText(
    'after',
    `
Built-in groups (Qu & Lu, arXiv 2603.23420): A = Level 1, B = 1 + 1.5, C = 1 + 1.5 + 2, D = 1 + 2, with the
study's --proposer. Classical baselines at Level 1 with their own proposer: TPE, CMAES, GP, QMC, RS (Optuna's
samplers; RS is its random sampler) and CENTAUR (mix:llm=0.3,optuna:cmaes=0.7, Ferreira et al., arXiv 2603.24647).
A group defined with --group-def may set proposer=SPEC too.
Running the same command again continues the study: finished runs are reused, a stopped run is resumed.

Examples:
  bilevel ablate --task synthetic --proposer random --groups A,B --repeats 5 --trials 30 --out ablation
  bilevel ablate --task synthetic --proposer random --llm openai:gpt-4o-mini --groups A,TPE,CMAES,CENTAUR --repeats 10`,
  );
  command.action(async (flags: StudyFlags & { stateDir?: string; out?: string; maxStudyCostUsd?: number }) => {
    const stateDir = stateDirFrom(flags);
    const settings = readRunSettings(command, 'ablate');
    const task = await loadTask(settings.task ?? '');
    // Groups may set a proposer that needs a model: the study looks for one unless --llm names it.
    const defaultLlm = settings.llm?.default ? undefined : await resolveDefaultLlm();
    const definition = buildStudyDefinition(flags, settings, task, defaultLlm);
    const maxStudyCostUsd = checkStudyCostCap(flags.maxStudyCostUsd, definition);
    const llm = definition.controls.llm;
    await checkLlmConfig(llm && { ...llm, maxCostUsd: llm.maxCostUsd ?? maxStudyCostUsd });
    resolveIsolation(definition.controls.isolation); // --isolation jail refuses here, before a run exists
    checkProposerAvailable(
      [definition.controls.proposer, ...definition.groups.flatMap((group) => (group.proposer ? [group.proposer] : []))],
      definition.controls.python,
    );
    const outDir = resolve(flags.out ?? join(stateDir, 'studies', studyId(definition)));
    const database = openDatabase(stateDir);
    try {
      await withInterruptSignal(async (signal) => {
        for (const warning of studyReachWarnings(definition)) process.stdout.write(`warning: ${warning}\n`);
        const progress = createStudyProgress(process.stdout, { trials: definition.controls.trials });
        let end: Awaited<ReturnType<typeof runStudy>>;
        try {
          end = await runStudy({
            database,
            stateDir,
            definition,
            task,
            signal,
            onEvent: progress.onEvent,
            ...(maxStudyCostUsd === undefined ? {} : { maxStudyCostUsd }),
          });
        } finally {
          progress.done();
        }
        const report = buildStudyReport(database, definition);
        const files = await writeStudyReport(report, outDir);
        process.stdout.write(`${displayText(summaryLines(report).join('\n'))}\n`);
        process.stdout.write(
          `${displayLine(`study ${end.studyId} ${end.state}${end.reason ? `: ${end.reason}` : ''}`)}\n`,
        );
        process.stdout.write(
          `report: ${files.markdown}\n        ${files.json}\n        ${files.svg}\n        ${files.png}\n`,
        );
        if (end.state === 'interrupted') {
          process.stdout.write('run the same command again to continue the study\n');
          process.exitCode = end.reason.startsWith('interrupted by the user')
            ? exitCodes.interrupted
            : exitCodes.stopped;
        }
      }, false);
    } finally {
      database.close();
    }
  });
}

/** `--max-study-cost-usd` only with an LLM. */
function checkStudyCostCap(value: number | undefined, definition: StudyDefinition): number | undefined {
  if (value === undefined) return undefined;
  if (!definition.controls.llm) {
    throw new BilevelError('USAGE', '--max-study-cost-usd needs an LLM: this study runs without one', {
      hint: 'drop --max-study-cost-usd, or pass --llm PROVIDER:MODEL',
    });
  }
  return value;
}

/** The paper-shaped table in plain text: group, repeats, mean ± sd of the improvement. */
function summaryLines(report: StudyReport): string[] {
  const format = (value: number): string => (Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : '—');
  return [
    `improvement in ${report.task.metric.name} (positive = better):`,
    ...report.groups.map((group) => {
      const summary = group.summary;
      const text = summary ? `${format(summary.mean)} ± ${format(summary.sd)}` : '—';
      return `  ${group.name.padEnd(8)} levels ${group.levels.join(',').padEnd(9)} ${group.proposer.padEnd(14)} n=${group.repeats}  ${text}`;
    }),
    ...report.comparisons.map(
      (comparison) =>
        `  ${comparison.a} vs ${comparison.b}: difference ${format(comparison.meanDifference)}, Welch p ${format(comparison.welch.p)}, permutation p ${format(comparison.permutation.p)}`,
    ),
  ];
}
