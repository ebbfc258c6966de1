// `bilevel tasks list` and `bilevel tasks show NAME|DIR`: the built-in tasks, and one task as bilevel reads it.

import type { Command } from 'commander';
import { displayJson, displayText } from '../core/display-text.js';
import { resolveDefaultLlm } from '../llm/llm-configuration.js';
import type { TrialIsolation } from '../records/trial-isolation.js';
import { formatParamValue } from '../report/markdown-table.js';
import { resolveIsolation } from '../run/resolve-isolation.js';
import { listBuiltinTasks } from '../task/builtin-tasks.js';
import { loadTask, type Task } from '../task/load-task.js';
import type { ParamSpec } from '../task/task-definition.js';
import { trialEnvironment } from '../task/trial-environment.js';
import { alignColumns } from './align-columns.js';
import { describeProposers, proposerAvailability } from './proposer-availability.js';

export function registerTasksCommand(program: Command): void {
  const tasks = program.command('tasks').description('built-in tasks, and checking a task folder');
  tasks
    .command('list')
    .description('list the built-in tasks')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const list = await listBuiltinTasks();
      if (flags.json) {
        process.stdout.write(`${displayJson({ tasks: list }, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${displayText(alignColumns(list.map((task) => [task.name, task.kind, task.description])))}\n`,
      );
    });
  tasks
    .command('show')
    .argument('<task>', 'built-in task name or task folder')
    .description(
      'check a task and show it as a run would see it: files, command, metric, budget, and the tunable params ' +
        '(declared or discovered) with their current values; an invalid task exits 2 with every problem listed',
    )
    .option('--json', 'print JSON')
    .option('--python <path>', 'the Python to check for Optuna (default: python3 on PATH, then /usr/bin/python3)')
    .action(async (reference: string, flags: { json?: boolean; python?: string }) => {
      const task = await loadTask(reference);
      const trial = trialView(task);
      const proposers = proposerAvailability({
        llm: (await resolveDefaultLlm()) ?? null,
        task,
        ...(flags.python ? { python: flags.python } : {}),
      });
      if (flags.json) {
        const { definition, dir, params, defaults, hiddenFiles } = task;
        process.stdout.write(
          `${displayJson({ dir, definition, params, defaults, hiddenFiles, trial, proposers }, 2)}\n`,
        );
        return;
      }
      process.stdout.write(
        `${displayText(`${describeTask(task)}\n\n${describeTrialView(task, trial)}\n\n${describeProposers(proposers)}`)}\n`,
      );
    });
}

/** The task as a few labelled lines and a params table. */
export function describeTask(task: Task): string {
  const { definition } = task;
  const source = definition.metric.source === 'stdout' ? 'stdout' : `file ${definition.metric.source.file}`;
  const lines = [
    `${definition.name} — ${definition.description}`,
    '',
    alignColumns([
      ['folder', task.dir],
      ['editable', definition.editable.join(', ')],
      ['protected', definition.protected.join(', ') || '(none)'],
      ['command', definition.command.join(' ')],
      ['metric', `${definition.metric.name}, ${definition.metric.direction}, read from ${source}`],
      ['budget', `${definition.budgetSeconds} s (hard timeout ${definition.timeoutSeconds} s)`],
      ['mode', definition.mode],
    ]),
    '',
    `${task.params.length} tunable param${task.params.length === 1 ? '' : 's'} (${definition.params ? 'declared in task.json' : 'discovered from UPPER_CASE constants'}):`,
    alignColumns([
      ['name', 'now', 'allowed', 'file'],
      ...task.params.map((param) => {
        const now = task.defaults[param.name];
        return [param.name, now === undefined ? '—' : formatParamValue(now), allowed(param), param.file ?? ''];
      }),
    ]),
  ];
  return lines.join('\n');
}

/** The variables the loop sets for a trial's programs (values differ per trial and step). */
const loopVariables = [
  'BILEVEL_STEP',
  'BILEVEL_BUDGET_SECONDS',
  'BILEVEL_SEED',
  'BILEVEL_TRIAL',
  'BILEVEL_CACHE_DIR',
  'BILEVEL_DATA_DIR',
  'BILEVEL_OUTPUT_DIR',
  'BILEVEL_PACKAGE_ROOT',
  'TMPDIR',
  'TMP',
  'TEMP',
];

export interface TrialView {
  /** What `bilevel run` (default --isolation auto) would give a trial here, and why. */
  isolation: TrialIsolation;
  /** Names of the variables a trial's programs receive; `withheld`: credential-like ones kept from them. */
  environment: { fromHere: string[]; fromTask: string[]; fromLoop: string[]; withheld: string[]; missing: string[] };
  /** Whether the metric comes from a protected evaluator, or from the training program's own output. */
  metricFrom: 'evaluator' | 'training';
}

export function trialView(task: Task): TrialView {
  const loop = Object.fromEntries(loopVariables.map((name) => [name, '']));
  const environment = trialEnvironment(process.env, task.definition, loop);
  return {
    isolation: resolveIsolation('auto'),
    environment: {
      fromHere: environment.passed,
      fromTask: Object.keys(task.definition.env).sort(),
      fromLoop: loopVariables,
      withheld: environment.withheld,
      missing: environment.missing,
    },
    metricFrom: task.definition.evaluate ? 'evaluator' : 'training',
  };
}

/** What a trial gets: its isolation, hidden paths, steps, environment, and a warning where its metric can be forged. */
export function describeTrialView(task: Task, view: TrialView): string {
  const { definition } = task;
  const network = definition.network ? 'network allowed ("network": true)' : 'no network (loopback only)';
  const isolation =
    view.isolation.mode === 'jail'
      ? `jail (bubblewrap): own PID namespace (nothing outlives the trial), ${network}, file system read-only but ` +
        'the working copy, output folder, cache and a private /tmp; homes and the state dir not visible; GPUs passed through'
      : `none — ${view.isolation.reason}; the trial can read and write what you can, and use the network`;
  const hidden = definition.hidden.length === 0 ? '(none)' : definition.hidden.join(', ');
  const hiddenNote =
    view.isolation.mode === 'jail'
      ? ''
      : ' (without a jail these are NOT hidden: only checked by hash after each step)';
  const rows: string[][] = [
    ['isolation', isolation],
    ['hidden', `${hidden}${definition.hidden.length > 0 ? hiddenNote : ''}`],
    [
      'prepare',
      definition.prepare ? `${definition.prepare.command.join(' ')} (once per session, before trials)` : '(none)',
    ],
    [
      'evaluate',
      definition.evaluate
        ? `${definition.evaluate.command.join(' ')} (timeout ${definition.evaluate.timeoutSeconds} s)` +
          (definition.evaluate.serve ? `; serve: ${definition.evaluate.serve.join(' ')}` : '')
        : "(none: the metric is the training program's own output)",
    ],
    ['environment', [...view.environment.fromHere, ...view.environment.fromTask].join(', ') || '(none from here)'],
    ['set by bilevel', view.environment.fromLoop.join(', ')],
    ['withheld', view.environment.withheld.join(', ') || '(none)'],
  ];
  if (view.environment.missing.length > 0) rows.push(['passEnv unset', view.environment.missing.join(', ')]);
  const lines = ['What a trial gets:', alignColumns(rows.map(([label, text]) => [`  ${label}`, text ?? '']))];
  if (view.metricFrom === 'training') {
    lines.push(
      '',
      `warning: ${definition.metric.name} is read from the training program's own output, so in code mode the edited ` +
        'code can print any value (or skip the harness). Add "evaluate": {"command": [...]} (a protected program whose ' +
        'stdout alone is read for the metric) and "hidden" (what training may not read) to task.json; see docs/security.md.',
    );
  }
  return lines.join('\n');
}

function allowed(param: ParamSpec): string {
  if (param.type === 'choice') return param.choices.map((choice) => JSON.stringify(choice)).join(' | ');
  const kind = param.integer ? 'integer' : 'number';
  return `${kind} in [${param.min}, ${param.max}]${param.scale === 'log' ? ', log scale' : ''}`;
}
