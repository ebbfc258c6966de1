// The tasks shipped with bilevel: every `tasks/<name>/task.json` under the package root.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { packageRoot } from './package-root.js';
import { type TaskDefinition, taskDefinitionSchema } from './task-definition.js';

/** One built-in task as `bilevel tasks list` shows it. */
export interface BuiltinTask {
  /** The folder name under `tasks/`, which is what `--task NAME` takes. */
  name: string;
  kind: TaskDefinition['kind'];
  description: string;
  /** Absolute path of the task folder. */
  dir: string;
}

/** Names of the folders under `<package root>/tasks/` that hold a task.json, sorted. */
export async function builtinTaskNames(): Promise<string[]> {
  const tasksDir = join(packageRoot(), 'tasks');
  if (!existsSync(tasksDir)) return [];
  const entries = await readdir(tasksDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(join(tasksDir, entry.name, 'task.json')))
    .map((entry) => entry.name)
    .sort();
}

/** Every built-in task with its kind and description (a malformed built-in task.json is a bug: INTERNAL). */
export async function listBuiltinTasks(): Promise<BuiltinTask[]> {
  const tasks: BuiltinTask[] = [];
  for (const name of await builtinTaskNames()) {
    const dir = join(packageRoot(), 'tasks', name);
    const file = join(dir, 'task.json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new BilevelError('INTERNAL', `built-in task file ${file} is not valid JSON`, {
        hint: 'Reinstall bilevel or fix that file.',
        cause: error,
      });
    }
    const result = taskDefinitionSchema.safeParse(parsed);
    if (!result.success) {
      throw new BilevelError('INTERNAL', `built-in task file ${file} does not match the task schema`, {
        hint: `Run \`bilevel run --task ${name}\` to see each problem.`,
      });
    }
    tasks.push({ name, kind: result.data.kind, description: result.data.description, dir });
  }
  return tasks;
}
