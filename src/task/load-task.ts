// Loads a task by built-in name or folder path, validates task.json and its files, and reports every problem.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { builtinTaskNames } from './builtin-tasks.js';
import { checkTaskFiles } from './check-task-files.js';
import { packageRoot } from './package-root.js';
import { type ParamSpec, type ParamValue, type TaskDefinition, taskDefinitionSchema } from './task-definition.js';
import { formatTaskIssues } from './task-issues.js';

/** A loaded, validated task. */
export interface Task {
  definition: TaskDefinition;
  /** Absolute path of the task folder. */
  dir: string;
  /** Declared params, else discovered from the editable files; `file` is always filled in. */
  params: ParamSpec[];
  /** The values currently written in the files, by param name. */
  defaults: Record<string, ParamValue>;
  /** Task files training may not read (the task-relative `hidden` globs, expanded). */
  hiddenFiles: string[];
}

/**
 * `reference` is a built-in name (a folder under `<package root>/tasks/`) or a folder path. A bare name
 * prefers the built-in; write `./name` for a local folder of the same name. Throws `TASK_NOT_FOUND` or
 * `TASK_INVALID` (the message lists every problem, one per line, with what to write instead).
 */
export async function loadTask(reference: string, options: { cwd?: string } = {}): Promise<Task> {
  const dir = await resolveTaskDir(reference, options.cwd ?? process.cwd());
  const file = join(dir, 'task.json');
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new BilevelError('TASK_INVALID', `${file} is not valid JSON: ${error.message}`, {
      hint: 'Fix the JSON syntax (quotes around keys, no trailing commas), then run again.',
    });
  }
  const parsed = taskDefinitionSchema.safeParse(input);
  if (!parsed.success) throw invalid(file, formatTaskIssues(parsed.error.issues, input));
  const checked = await checkTaskFiles(dir, parsed.data);
  if (checked.problems.length > 0) throw invalid(file, checked.problems);
  return {
    definition: parsed.data,
    dir,
    params: checked.params,
    defaults: checked.defaults,
    hiddenFiles: checked.hiddenFiles,
  };
}

async function resolveTaskDir(reference: string, cwd: string): Promise<string> {
  const looksLikePath = isAbsolute(reference) || reference.startsWith('.') || /[\\/]/.test(reference);
  if (!looksLikePath) {
    const builtin = join(packageRoot(), 'tasks', reference);
    if (existsSync(join(builtin, 'task.json'))) return builtin;
    const local = resolve(cwd, reference);
    if (existsSync(join(local, 'task.json'))) return local;
    const names = await builtinTaskNames();
    throw new BilevelError(
      'TASK_NOT_FOUND',
      `no built-in task named "${reference}" (built-in: ${names.join(', ') || 'none'}) and no folder ${local} with a task.json`,
      { hint: 'Pass a built-in name from `bilevel tasks list`, or the path of a folder that holds a task.json.' },
    );
  }
  const dir = resolve(cwd, reference);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BilevelError('TASK_NOT_FOUND', `no task folder at ${dir}`, {
      hint: 'Check the path, or pass a built-in name from `bilevel tasks list`.',
    });
  }
  if (!existsSync(join(dir, 'task.json'))) {
    throw new BilevelError('TASK_NOT_FOUND', `${dir} has no task.json`, {
      hint: `Write a task.json there (see ${join(packageRoot(), 'tasks', 'synthetic', 'task.json')} for an example).`,
    });
  }
  return dir;
}

function invalid(file: string, problems: string[]): BilevelError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new BilevelError(
    'TASK_INVALID',
    `${file} has ${count}:\n${problems.map((line) => `  - ${line}`).join('\n')}`,
    {
      hint: 'Fix each field listed above, then run again.',
    },
  );
}
