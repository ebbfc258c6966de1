// `bilevel tasks list` and `bilevel tasks show NAME|DIR`: the built-in tasks, and one task as bilevel reads it.

import type { Command } from 'commander';
import { displayJson, displayText } from '../core/display-text.js';
import { formatParamValue } from '../report/markdown-table.js';
import { listBuiltinTasks } from '../task/builtin-tasks.js';
import { loadTask, type Task } from '../task/load-task.js';
import type { ParamSpec } from '../task/task-definition.js';
import { alignColumns } from './align-columns.js';

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
    .action(async (reference: string, flags: { json?: boolean }) => {
      const task = await loadTask(reference);
      if (flags.json) {
        const { definition, dir, params, defaults } = task;
        process.stdout.write(`${displayJson({ dir, definition, params, defaults }, 2)}\n`);
        return;
      }
      process.stdout.write(`${displayText(describeTask(task))}\n`);
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
