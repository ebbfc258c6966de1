// Reads and writes a task's param values in its files, all files or none.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { discoverConstants } from './discover-params.js';
import type { Task } from './load-task.js';
import { writeParamValues } from './rewrite-literal.js';
import { sourceLanguage } from './source-language.js';
import type { ParamValue } from './task-definition.js';

/**
 * The value of each of the task's params as written in the files under `dir` (a working copy of the task).
 * A param whose constant is no longer assigned exactly once (a code edit may have removed it) is left out.
 */
export async function readParamValues(dir: string, task: Task): Promise<Record<string, ParamValue>> {
  const values: Record<string, ParamValue> = {};
  for (const [file, names] of groupByFile(
    task,
    task.params.map((param) => param.name),
  )) {
    const constants = discoverConstants(await readFile(join(dir, file), 'utf8'), languageOf(file));
    for (const name of names) {
      const matches = constants.filter((constant) => constant.name === name);
      if (matches.length === 1) values[name] = matches[0]!.value;
    }
  }
  return values;
}

export type ApplyParamValuesResult = { ok: true; changedFiles: string[] } | { ok: false; reason: string };

/**
 * Writes `values` (validate them first with `validateParamValues`) into the files under `dir`.
 * Nothing is written unless every value can be written; `changedFiles` lists the files whose text changed.
 */
export async function applyParamValues(
  dir: string,
  task: Task,
  values: Record<string, ParamValue>,
): Promise<ApplyParamValuesResult> {
  const known = new Set(task.params.map((param) => param.name));
  const unknown = Object.keys(values).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    return { ok: false, reason: `not params of this task: ${unknown.join(', ')} (known: ${[...known].join(', ')})` };
  }
  const writes: { file: string; source: string }[] = [];
  for (const [file, names] of groupByFile(task, Object.keys(values))) {
    const before = await readFile(join(dir, file), 'utf8');
    const subset = Object.fromEntries(names.map((name) => [name, values[name]!]));
    const result = writeParamValues(before, languageOf(file), subset);
    if (!result.ok) return { ok: false, reason: `${file}: ${result.reason}` };
    if (result.source !== before) writes.push({ file, source: result.source });
  }
  for (const { file, source } of writes) await writeFile(join(dir, file), source);
  return { ok: true, changedFiles: writes.map((write) => write.file) };
}

function groupByFile(task: Task, names: string[]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const name of names) {
    const param = task.params.find((candidate) => candidate.name === name);
    const file = param?.file ?? task.definition.editable[0]!;
    files.set(file, [...(files.get(file) ?? []), name]);
  }
  return files;
}

function languageOf(file: string): 'ts' | 'py' {
  const language = sourceLanguage(file);
  if (language === undefined) {
    throw new BilevelError('INTERNAL', `param file "${file}" is neither TypeScript/JavaScript nor Python`, {
      hint: 'loadTask should have rejected this task; report it as a bug.',
    });
  }
  return language;
}
