import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskDefinition } from '../task/task-definition.js';
import { applyCodeEdits } from './apply-code-edits.js';

const scratch = mkdtempSync(join(tmpdir(), 'bilevel-code-edits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const definition: TaskDefinition = {
  name: 'edits',
  description: 'code edits',
  editable: ['train.py', 'lib/model.py', 'link.py'],
  protected: ['prepare.py'],
  command: ['true'],
  metric: { name: 'loss', direction: 'minimize', source: 'stdout' },
  budgetSeconds: 1,
  timeoutSeconds: 2,
  mode: 'code',
  kind: 'real',
  hidden: [],
  readable: [],
  network: false,
  env: {},
  passEnv: [],
};
const allowed = 'editable files: train.py, lib/model.py, link.py';
const train = 'LR = 0.04\nfor step in range(10):\n    loss = step\n    loss = step\n';
const model = 'class Model:\n    pass\n';

function setUp(label: string): string {
  const dir = join(scratch, label);
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'train.py'), train);
  writeFileSync(join(dir, 'lib', 'model.py'), model);
  writeFileSync(join(dir, 'prepare.py'), 'SECRET = 1\n');
  return dir;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('applyCodeEdits', () => {
  it('applies edits in order across files and lists the changed ones', async () => {
    const dir = setUp('apply');
    const result = await applyCodeEdits(dir, definition, [
      { file: 'train.py', search: 'LR = 0.04', replace: 'LR = 0.02' },
      { file: './lib/model.py', search: '    pass', replace: '    depth = 8' },
      { file: 'train.py', search: 'LR = 0.02\n', replace: 'LR = 0.01  # $& kept literally\n' },
    ]);
    expect(result).toEqual({ ok: true, changedFiles: ['train.py', 'lib/model.py'] });
    expect(read(dir, 'train.py')).toBe(`LR = 0.01  # $& kept literally\n${train.slice('LR = 0.04\n'.length)}`);
    expect(read(dir, 'lib/model.py')).toBe('class Model:\n    depth = 8\n');
  });

  it('rejects a search that is missing or ambiguous, with the count, and writes nothing', async () => {
    const dir = setUp('count');
    const missing = await applyCodeEdits(dir, definition, [
      { file: 'train.py', search: 'LR = 0.04', replace: 'LR = 0.03' },
      { file: 'lib/model.py', search: 'class Net', replace: 'class X' },
    ]);
    expect(missing).toEqual({
      ok: false,
      reason:
        'edit 2 ("lib/model.py"): the search text occurs 0 times in the current file; copy it exactly, whitespace included',
    });
    expect(read(dir, 'train.py')).toBe(train);
    const twice = await applyCodeEdits(dir, definition, [
      { file: 'train.py', search: '    loss = step\n', replace: '' },
    ]);
    expect(twice).toEqual({
      ok: false,
      reason:
        'edit 1 ("train.py"): the search text occurs 2 times; include more surrounding lines so it matches exactly once',
    });
    const empty = await applyCodeEdits(dir, definition, [{ file: 'train.py', search: '', replace: 'x' }]);
    expect(empty.ok).toBe(false);
    expect(await applyCodeEdits(dir, definition, [])).toMatchObject({ ok: false });
    expect(read(dir, 'train.py')).toBe(train);
  });

  it('rejects protected, unlisted, absolute and parent paths, naming the file and the allowed list', async () => {
    const dir = setUp('paths');
    const cases: [string, string][] = [
      ['prepare.py', 'this file is protected (the harness) and cannot be edited'],
      ['other.py', 'this file is not editable'],
      ['/etc/passwd', 'absolute paths are not allowed'],
      ['C:\\train.py', 'absolute paths are not allowed'],
      ['../edits/train.py', '".." is not allowed in a path'],
      ['lib/../train.py', '".." is not allowed in a path'],
      ['', 'the file name is empty'],
    ];
    for (const [file, problem] of cases) {
      const result = await applyCodeEdits(dir, definition, [
        { file: 'train.py', search: 'LR = 0.04', replace: 'LR = 1' },
        { file, search: 'SECRET = 1', replace: 'SECRET = 2' },
      ]);
      expect(result).toEqual({ ok: false, reason: `edit 2 (${JSON.stringify(file)}): ${problem}; ${allowed}` });
    }
    expect(read(dir, 'train.py')).toBe(train);
    expect(read(dir, 'prepare.py')).toBe('SECRET = 1\n');
  });

  it('refuses to follow a symbolic link, even to a file inside the folder', async () => {
    const dir = setUp('links');
    symlinkSync(join(dir, 'prepare.py'), join(dir, 'link.py'));
    const result = await applyCodeEdits(dir, definition, [
      { file: 'link.py', search: 'SECRET = 1', replace: 'SECRET = 2' },
    ]);
    expect(result).toEqual({
      ok: false,
      reason: `edit 1 ("link.py"): the file is a symbolic link, which edits may not follow; ${allowed}`,
    });
    expect(read(dir, 'prepare.py')).toBe('SECRET = 1\n');
  });

  it('refuses an editable file reached through a linked folder that leads outside', async () => {
    const dir = join(scratch, 'linked-folder');
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(scratch, 'elsewhere'), { recursive: true });
    writeFileSync(join(scratch, 'elsewhere', 'model.py'), model);
    symlinkSync(join(scratch, 'elsewhere'), join(dir, 'lib'));
    const result = await applyCodeEdits(dir, definition, [{ file: 'lib/model.py', search: 'pass', replace: 'x = 1' }]);
    expect(result).toEqual({
      ok: false,
      reason: `edit 1 ("lib/model.py"): the file resolves outside the task folder; ${allowed}`,
    });
    expect(read(join(scratch, 'elsewhere'), 'model.py')).toBe(model);
  });

  it('reports an editable file that does not exist', async () => {
    const dir = setUp('absent');
    rmSync(join(dir, 'lib', 'model.py'));
    const result = await applyCodeEdits(dir, definition, [{ file: 'lib/model.py', search: 'a', replace: 'b' }]);
    expect(result).toEqual({ ok: false, reason: `edit 1 ("lib/model.py"): the file does not exist; ${allowed}` });
  });
});
