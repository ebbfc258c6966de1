// Turns task.json schema issues into `field.path: expected …; got …` lines that say what to write instead.
import type { z } from 'zod';
import { choiceParamSchema, metricSchema, numberParamSchema, taskDefinitionSchema } from './task-definition.js';

const pathHint = 'a path inside the task folder (relative, no ".."), e.g. "train.py"';

/** What to write, by field path with list indices replaced by `[]`. */
const expectations: Record<string, string> = {
  '': 'a JSON object with name, description, editable, command, metric, budgetSeconds and timeoutSeconds',
  name: 'lowercase letters, digits and dashes, e.g. "my-task"',
  description: 'a non-empty sentence saying what is optimized',
  editable: 'a non-empty list of files the loop may change, e.g. ["train.py"]',
  'editable[]': pathHint,
  protected: 'a list of files nobody may change, e.g. ["prepare.py"]',
  'protected[]': pathHint,
  command:
    'the command as a non-empty list of strings (argv), e.g. ["python", "train.py"] or ["{node}", "--import", "{tsx}", "train.ts"]',
  'command[]': 'a non-empty string',
  metric: 'an object like {"name": "val_bpb", "direction": "minimize"}',
  'metric.name': 'an identifier such as "val_bpb"',
  'metric.direction': '"minimize" or "maximize" (lower or higher is better)',
  'metric.source': '"stdout" or {"file": "relative/path.txt"}',
  'metric.source.file': pathHint,
  budgetSeconds: 'a positive number of seconds the program trains for, e.g. 300',
  timeoutSeconds: 'a positive number of seconds after which the run is killed, above budgetSeconds, e.g. 600',
  mode: '"params" (tune constants) or "code" (edit code)',
  kind: '"real", "synthetic" or "adapter"',
  params: 'a list of param declarations, or leave it out to discover UPPER_CASE constants',
  'params[]': 'an object with "type": "number" (with min and max) or "type": "choice" (with choices)',
  'params[].type': '"number" (with min and max) or "choice" (with choices)',
  'params[].name': 'an UPPER_CASE constant name, e.g. "MATRIX_LR"',
  'params[].min': 'a number (the lowest allowed value)',
  'params[].max': 'a number (the highest allowed value)',
  'params[].integer': 'true or false',
  'params[].scale': '"linear" or "log"',
  'params[].choices': 'a non-empty list of strings, numbers or booleans',
  'params[].choices[]': 'a string, number or boolean',
  'params[].file': pathHint,
  'params[].description': 'a string',
};

/** One line per issue; every issue is kept, in schema order. */
export function formatTaskIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return issues.flatMap((issue) => formatIssue(issue, input));
}

function formatIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownFields(issue.path, input);
    return issue.keys.map(
      (key) =>
        `${where === '' ? key : `${where}.${key}`}: unknown field; remove it${known ? ` (known fields: ${known})` : ''}`,
    );
  }
  const label = where === '' ? 'task.json' : where;
  const pattern = issue.path.map((segment) => (typeof segment === 'number' ? '[]' : `.${String(segment)}`)).join('');
  const expected = expectations[pattern.replace(/^\./, '')] ?? plainMessage(issue.message);
  const value = valueAt(input, issue.path);
  if (value === undefined) return [`${label}: missing; expected ${expected}`];
  return [`${label}: expected ${expected}; got ${preview(value)}`];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`,
    )
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function knownFields(path: readonly PropertyKey[], input: unknown): string | undefined {
  const pattern = path.map((segment) => (typeof segment === 'number' ? '[]' : String(segment))).join('.');
  if (pattern === '') return Object.keys(taskDefinitionSchema.shape).join(', ');
  if (pattern === 'metric') return Object.keys(metricSchema.shape).join(', ');
  if (pattern === 'metric.source') return 'file';
  if (pattern === 'params.[]') {
    const type = (valueAt(input, path) as { type?: unknown } | undefined)?.type;
    return Object.keys(type === 'choice' ? choiceParamSchema.shape : numberParamSchema.shape).join(', ');
  }
  return undefined;
}

function plainMessage(message: string): string {
  return message.replace(/^Invalid input: expected /, '').replace(/^Too small: expected /, '');
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
