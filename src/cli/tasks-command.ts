// `bilevel tasks list` and `bilevel tasks show NAME|DIR`: the built-in tasks, and one task as bilevel reads it.

import type { Command } from 'commander';
import { resolveDefaultLlm } from '../llm/llm-configuration.js';
import { formatParamValue } from '../report/markdown-table.js';
import { listBuiltinTasks } from '../task/builtin-tasks.js';
import { loadTask, type Task } from '../task/load-task.js';
import type { ParamSpec } from '../task/task-definition.js';
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
        process.stdout.write(`${JSON.stringify({ tasks: list }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${alignColumns(list.map((task) => [task.name, task.kind, task.description]))}\n`);
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
      const proposers = proposerAvailability({
        llm: (await resolveDefaultLlm()) ?? null,
        task,
        ...(flags.python ? { python: flags.python } : {}),
      });
      if (flags.json) {
        const { definition, dir, params, defaults } = task;
        process.stdout.write(`${JSON.stringify({ dir, definition, params, defaults, proposers }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${describeTask(task)}\n\n${describeProposers(proposers)}\n`);
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

function allowed(param: ParamSpec): string {
  if (param.type === 'choice') return param.choices.map((choice) => JSON.stringify(choice)).join(' | ');
  const kind = param.integer ? 'integer' : 'number';
  return `${kind} in [${param.min}, ${param.max}]${param.scale === 'log' ? ', log scale' : ''}`;
}
