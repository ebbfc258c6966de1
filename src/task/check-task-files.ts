// Checks a schema-valid task definition against its folder: files exist, roles don't overlap, params exist and fit.
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { type DiscoveredConstant, discoverConstants, inferParamSpec } from './discover-params.js';
import { expandGlobs } from './expand-globs.js';
import { sourceLanguage } from './source-language.js';
import type { ParamSpec, ParamValue, TaskDefinition } from './task-definition.js';
import { isExternalPath } from './task-paths.js';

export interface TaskFilesCheck {
  /** One `field.path: what is wrong; what to do` line per problem; empty when the task is usable. */
  problems: string[];
  /** Declared params (with `file` filled in), else those discovered in the editable files. */
  params: ParamSpec[];
  /** The current value of each param in its file. */
  defaults: Record<string, ParamValue>;
  /** The task files the task-relative `hidden` globs match (relative, `/`-separated). */
  hiddenFiles: string[];
}

/** `./a//b.ts` → `a/b.ts`, so the same file is recognised however it was written. */
export function normalizeTaskPath(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/** Collects every problem rather than stopping at the first. */
export async function checkTaskFiles(dir: string, definition: TaskDefinition): Promise<TaskFilesCheck> {
  const problems: string[] = [];
  if (definition.timeoutSeconds <= definition.budgetSeconds) {
    problems.push(
      `timeoutSeconds: expected more than budgetSeconds (${definition.budgetSeconds}) so a run can finish; got ${definition.timeoutSeconds}`,
    );
  }
  const realDir = await realpath(dir);
  const present = new Set<string>();
  for (const field of ['editable', 'protected'] as const) {
    for (const [index, path] of definition[field].entries()) {
      const problem = await checkListedFile(dir, realDir, path);
      if (problem) problems.push(`${field}[${index}]: ${problem}`);
      else present.add(normalizeTaskPath(path));
    }
  }
  const editable = definition.editable.map(normalizeTaskPath);
  for (const [index, path] of definition.protected.entries()) {
    if (editable.includes(normalizeTaskPath(path))) {
      problems.push(
        `protected[${index}]: "${path}" is also listed in editable; a file is either editable or protected`,
      );
    }
  }
  const hiddenFiles = await checkHidden(dir, definition, editable, problems);
  checkEnvironmentNames(definition, problems);
  const constantsByFile = new Map<string, DiscoveredConstant[]>();
  const constantsIn = async (file: string): Promise<DiscoveredConstant[] | undefined> => {
    const language = sourceLanguage(file);
    if (language === undefined || !present.has(file)) return undefined;
    if (!constantsByFile.has(file)) {
      constantsByFile.set(file, discoverConstants(await readFile(join(dir, file), 'utf8'), language));
    }
    return constantsByFile.get(file);
  };
  const result =
    definition.params === undefined
      ? await discoverTaskParams(editable, constantsIn)
      : await checkDeclaredParams(definition.params, editable, constantsIn, problems);
  if (definition.mode === 'params' && result.params.length === 0 && problems.length === 0) {
    problems.push(
      'params: none declared and no top-level UPPER_CASE constants found in the editable .ts/.js/.py files; declare params or set "mode": "code"',
    );
  }
  return { problems, ...result, hiddenFiles };
}

/** Each task-relative hidden glob must match a file, and none an editable one (training reads what it edits). */
async function checkHidden(
  dir: string,
  definition: TaskDefinition,
  editable: readonly string[],
  problems: string[],
): Promise<string[]> {
  const all = new Set<string>();
  for (const [index, pattern] of definition.hidden.entries()) {
    if (isExternalPath(pattern)) continue;
    const files = await expandGlobs(dir, [pattern]);
    if (files.length === 0) problems.push(`hidden[${index}]: "${pattern}" matches no file in ${dir}`);
    const clash = files.find((file) => editable.includes(file));
    if (clash) {
      problems.push(
        `hidden[${index}]: "${pattern}" matches the editable file ${clash}; training must read what it edits`,
      );
    }
    for (const file of files) all.add(file);
  }
  if (all.size > 0 && definition.evaluate === undefined) {
    problems.push(
      'hidden: hidden files need an "evaluate" step to read them (training cannot); add one or drop "hidden"',
    );
  }
  return [...all].sort();
}

/** The loop sets the BILEVEL_ variables itself; a task may not replace them. */
function checkEnvironmentNames(definition: TaskDefinition, problems: string[]): void {
  for (const name of Object.keys(definition.env)) {
    if (name.startsWith('BILEVEL_'))
      problems.push(`env.${name}: BILEVEL_ variables are set by bilevel; use another name`);
  }
  for (const [index, name] of definition.passEnv.entries()) {
    if (name.startsWith('BILEVEL_'))
      problems.push(`passEnv[${index}]: BILEVEL_ variables are set by bilevel; drop ${name}`);
  }
}

async function checkListedFile(dir: string, realDir: string, path: string): Promise<string | undefined> {
  const absolute = join(dir, path);
  try {
    const info = await stat(absolute);
    if (!info.isFile()) return `"${path}" is not a file`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `file "${path}" does not exist in ${dir}`;
    throw error;
  }
  const real = relative(realDir, await realpath(absolute));
  if (real.startsWith(`..${sep}`) || real === '..' || isAbsolute(real)) {
    return `"${path}" is a link that leads outside the task folder`;
  }
  return undefined;
}

type ConstantsIn = (file: string) => Promise<DiscoveredConstant[] | undefined>;

async function discoverTaskParams(
  editable: string[],
  constantsIn: ConstantsIn,
): Promise<Omit<TaskFilesCheck, 'problems' | 'hiddenFiles'>> {
  const params: ParamSpec[] = [];
  const defaults: Record<string, ParamValue> = {};
  for (const file of editable) {
    const constants = (await constantsIn(file)) ?? [];
    for (const constant of constants) {
      const once = constants.filter((other) => other.name === constant.name).length === 1;
      if (!once || Object.hasOwn(defaults, constant.name)) continue;
      params.push(inferParamSpec(constant, file));
      defaults[constant.name] = constant.value;
    }
  }
  return { params, defaults };
}

async function checkDeclaredParams(
  declared: ParamSpec[],
  editable: string[],
  constantsIn: ConstantsIn,
  problems: string[],
): Promise<Omit<TaskFilesCheck, 'problems' | 'hiddenFiles'>> {
  const params: ParamSpec[] = [];
  const defaults: Record<string, ParamValue> = {};
  const seen = new Set<string>();
  for (const [index, param] of declared.entries()) {
    const where = `params[${index}]`;
    const file = normalizeTaskPath(param.file ?? editable[0]!);
    params.push({ ...param, file });
    if (seen.has(param.name)) problems.push(`${where}.name: ${param.name} is declared twice; keep one declaration`);
    seen.add(param.name);
    if (param.type === 'number') {
      if (param.min > param.max) problems.push(`${where}.max: expected at least min (${param.min}); got ${param.max}`);
      if (param.scale === 'log' && param.min <= 0) {
        problems.push(`${where}.min: expected a positive number for "scale": "log"; got ${param.min}`);
      }
    }
    if (!editable.includes(file)) {
      problems.push(`${where}.file: "${file}" is not an editable file (editable: ${editable.join(', ')})`);
      continue;
    }
    if (sourceLanguage(file) === undefined) {
      problems.push(`${where}.file: cannot read constants from "${file}"; params live in .ts, .js or .py files`);
      continue;
    }
    const constants = await constantsIn(file);
    if (constants === undefined) continue; // the missing file is already reported
    const matches = constants.filter((constant) => constant.name === param.name);
    if (matches.length !== 1) {
      problems.push(
        matches.length === 0
          ? `${where}.name: ${file} has no top-level constant ${param.name} assigned a literal (e.g. ${param.name} = 1); add it or fix the name`
          : `${where}.name: ${param.name} is assigned ${matches.length} times in ${file} (lines ${matches.map((match) => match.line).join(', ')}); assign it once`,
      );
      continue;
    }
    const current = matches[0]!.value;
    defaults[param.name] = current;
    const problem = checkDefault(param, current, file);
    if (problem) problems.push(`${where}: ${problem}`);
  }
  return { params, defaults };
}

function checkDefault(param: ParamSpec, current: ParamValue, file: string): string | undefined {
  const shown = JSON.stringify(current);
  if (param.type === 'choice') {
    if (param.choices.some((choice) => Object.is(choice, current))) return undefined;
    return `${param.name} is ${shown} in ${file}, which is not among its choices; add it to choices`;
  }
  if (typeof current !== 'number')
    return `${param.name} is ${shown} in ${file}, but a number param needs a number there`;
  if (param.integer && !Number.isInteger(current)) {
    return `${param.name} is ${shown} in ${file}, but the param is an integer; write a whole number or drop "integer"`;
  }
  if (current < param.min || current > param.max) {
    return `${param.name} is ${shown} in ${file}, outside [${param.min}, ${param.max}]; widen the range or change the file`;
  }
  return undefined;
}
