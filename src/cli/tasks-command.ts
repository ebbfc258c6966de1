// `bilevel tasks list`: the built-in tasks.

import type { Command } from 'commander';
import { listBuiltinTasks } from '../task/builtin-tasks.js';
import { alignColumns } from './align-columns.js';

export function registerTasksCommand(program: Command): void {
  const tasks = program.command('tasks').description('built-in tasks');
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
}
