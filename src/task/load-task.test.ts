import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BilevelError } from '../core/errors.js';
import { loadTask } from './load-task.js';
import { packageRoot } from './package-root.js';

const scratch = mkdtempSync(join(tmpdir(), 'bilevel-load-task-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const validDefinition = {
  name: 'toy',
  description: 'a toy task',
  editable: ['train.py'],
  protected: ['prepare.py'],
  command: ['python', 'train.py'],
  metric: { name: 'val_loss', direction: 'minimize' },
  budgetSeconds: 10,
  timeoutSeconds: 20,
};

const trainPy = `import os
LR = 0.04  # learning rate
DEPTH = 8
PATTERN = "SSSL"
USE_X = True
DUP = 1
DUP = 2
print(LR)
`;

function makeTask(label: string, definition: unknown, files: Record<string, string> = {}): string {
  const dir = join(scratch, label);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'task.json'), typeof definition === 'string' ? definition : JSON.stringify(definition));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function loadError(reference: string, options?: { cwd?: string }): Promise<BilevelError> {
  try {
    await loadTask(reference, options);
  } catch (error) {
    if (error instanceof BilevelError) return error;
    throw error;
  }
  throw new Error(`expected loadTask(${reference}) to fail`);
}

describe('loadTask', () => {
  it('loads the built-in synthetic task with its declared params and current values', async () => {
    const task = await loadTask('synthetic');
    expect(task.dir).toBe(join(packageRoot(), 'tasks', 'synthetic'));
    expect(task.definition.kind).toBe('synthetic');
    expect(task.definition.command).toEqual(['{node}', '--import', '{tsx}', 'train.ts']);
    expect(task.params).toHaveLength(14);
    expect(task.params.every((param) => param.file === 'train.ts')).toBe(true);
    expect(task.defaults).toMatchObject({
      DEPTH: 8,
      TOTAL_BATCH_SIZE: 524288,
      WINDOW_PATTERN: 'SSSL',
      MATRIX_LR: 0.04,
    });
  });

  it('discovers params when none are declared, skipping constants assigned twice', async () => {
    const dir = makeTask('discover', validDefinition, { 'train.py': trainPy, 'prepare.py': 'X = 1\n' });
    const task = await loadTask(dir);
    expect(task.params.map((param) => param.name)).toEqual(['LR', 'DEPTH', 'PATTERN', 'USE_X']);
    expect(task.params[0]).toMatchObject({ type: 'number', scale: 'log', file: 'train.py' });
    expect(task.defaults).toEqual({ LR: 0.04, DEPTH: 8, PATTERN: 'SSSL', USE_X: true });
    expect(task.definition.mode).toBe('params');
  });

  it('resolves relative paths against options.cwd, and bare names to a local folder when no built-in matches', async () => {
    makeTask('relative', validDefinition, { 'train.py': trainPy, 'prepare.py': '' });
    expect((await loadTask('./relative', { cwd: scratch })).dir).toBe(join(scratch, 'relative'));
    expect((await loadTask('relative', { cwd: scratch })).dir).toBe(join(scratch, 'relative'));
  });

  it('says which built-ins exist when a name is unknown', async () => {
    const error = await loadError('no-such-task', { cwd: scratch });
    expect(error.code).toBe('TASK_NOT_FOUND');
    expect(error.message).toMatch(/no built-in task named "no-such-task" \(built-in: [^)]*synthetic/);
    expect(error.isUserError).toBe(true);
  });

  it('reports a folder without task.json as not found', async () => {
    mkdirSync(join(scratch, 'empty'), { recursive: true });
    const error = await loadError(join(scratch, 'empty'));
    expect(error.code).toBe('TASK_NOT_FOUND');
    expect(error.message).toMatch(/has no task\.json/);
    expect((await loadError(join(scratch, 'missing'))).code).toBe('TASK_NOT_FOUND');
  });

  it('reports malformed JSON', async () => {
    const dir = makeTask('bad-json', '{ "name": "x", }');
    const error = await loadError(dir);
    expect(error.code).toBe('TASK_INVALID');
    expect(error.message).toMatch(/is not valid JSON/);
  });

  it('lists every schema problem with the field path and what to write instead', async () => {
    const dir = makeTask('bad-schema', {
      ...validDefinition,
      name: 'Bad Name',
      metric: { name: 'val_loss', direction: 'down' },
      budgetSeconds: undefined,
      extra: true,
      params: [{ name: 'LR', type: 'num' }],
      editable: ['../escape.py'],
    });
    const error = await loadError(dir);
    expect(error.code).toBe('TASK_INVALID');
    const lines = error.message.split('\n').slice(1);
    expect(error.message.split('\n')[0]).toMatch(/has 6 problems:$/);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  - name: expected lowercase letters, digits and dashes, e.g. "my-task"; got "Bad Name"',
        '  - editable[0]: expected a path inside the task folder (relative, no ".."), e.g. "train.py"; got "../escape.py"',
        '  - metric.direction: expected "minimize" or "maximize" (lower or higher is better); got "down"',
        '  - budgetSeconds: missing; expected a positive number of seconds the program trains for, e.g. 300',
        '  - params[0].type: expected "number" (with min and max) or "choice" (with choices); got "num"',
      ]),
    );
    expect(lines.find((line) => line.startsWith('  - extra:'))).toMatch(
      /^ {2}- extra: unknown field; remove it \(known fields: name, description, editable, .*kind\)$/,
    );
  });

  it('checks files and params against the folder, collecting every problem', async () => {
    const dir = makeTask(
      'bad-files',
      {
        ...validDefinition,
        editable: ['train.py', 'model.py', 'prepare.py'],
        protected: ['prepare.py', 'missing.py'],
        timeoutSeconds: 10,
        params: [
          { name: 'LR', type: 'number', min: 0.1, max: 1 },
          { name: 'DEPTH', type: 'number', min: 1, max: 16, integer: true, scale: 'log', file: 'other.py' },
          { name: 'WIDTH', type: 'number', min: 1, max: 2 },
          { name: 'PATTERN', type: 'choice', choices: ['SL'] },
          { name: 'DUP', type: 'number', min: 0, max: 3 },
          { name: 'USE_X', type: 'number', min: 0, max: 1 },
          { name: 'LR', type: 'number', min: 0, max: 1, scale: 'log' },
        ],
      },
      { 'train.py': trainPy, 'prepare.py': '' },
    );
    const error = await loadError(dir);
    expect(error.code).toBe('TASK_INVALID');
    const problems = error.message.split('\n').slice(1);
    expect(problems).toEqual([
      '  - timeoutSeconds: expected more than budgetSeconds (10) so a run can finish; got 10',
      `  - editable[1]: file "model.py" does not exist in ${dir}`,
      `  - protected[1]: file "missing.py" does not exist in ${dir}`,
      '  - protected[0]: "prepare.py" is also listed in editable; a file is either editable or protected',
      '  - params[0]: LR is 0.04 in train.py, outside [0.1, 1]; widen the range or change the file',
      '  - params[1].file: "other.py" is not an editable file (editable: train.py, model.py, prepare.py)',
      '  - params[2].name: train.py has no top-level constant WIDTH assigned a literal (e.g. WIDTH = 1); add it or fix the name',
      '  - params[3]: PATTERN is "SSSL" in train.py, which is not among its choices; add it to choices',
      '  - params[4].name: DUP is assigned 2 times in train.py (lines 6, 7); assign it once',
      '  - params[5]: USE_X is true in train.py, but a number param needs a number there',
      '  - params[6].name: LR is declared twice; keep one declaration',
      '  - params[6].min: expected a positive number for "scale": "log"; got 0',
    ]);
  });

  it('refuses a listed file that links outside the task folder', async () => {
    writeFileSync(join(scratch, 'outside.py'), 'LR = 1\n');
    const dir = makeTask('link', validDefinition, { 'prepare.py': '' });
    symlinkSync(join(scratch, 'outside.py'), join(dir, 'train.py'));
    const error = await loadError(dir);
    expect(error.message).toMatch(/editable\[0\]: "train.py" is a link that leads outside the task folder/);
  });

  it('asks for params or code mode when a params-mode task has nothing to tune', async () => {
    const dir = makeTask('nothing', validDefinition, { 'train.py': 'print(1)\n', 'prepare.py': '' });
    expect((await loadError(dir)).message).toMatch(/params: none declared .* set "mode": "code"/);
    const codeDir = makeTask(
      'nothing-code',
      { ...validDefinition, mode: 'code' },
      { 'train.py': 'print(1)\n', 'prepare.py': '' },
    );
    expect((await loadTask(codeDir)).params).toEqual([]);
  });
});
