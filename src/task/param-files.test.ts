import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Task } from './load-task.js';
import { applyParamValues, readParamValues } from './param-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'bilevel-param-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const trainTs = 'export const LR = 0.04; // rate\nconst PATTERN = "SSSL";\nconsole.log(LR, PATTERN);\n';
const modelPy = 'DEPTH = 8\nDROPOUT = 0.0\n';

function setUp(label: string): { dir: string; task: Task } {
  const dir = join(scratch, label);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.ts'), trainTs);
  writeFileSync(join(dir, 'model.py'), modelPy);
  const task: Task = {
    dir,
    definition: {
      name: 'two-files',
      description: 'params in two languages',
      editable: ['train.ts', 'model.py'],
      protected: [],
      command: ['true'],
      metric: { name: 'loss', direction: 'minimize', source: 'stdout' },
      budgetSeconds: 1,
      timeoutSeconds: 2,
      mode: 'params',
      kind: 'real',
      hidden: [],
      readable: [],
      network: false,
      env: {},
      passEnv: [],
    },
    params: [
      { name: 'LR', type: 'number', min: 0.001, max: 1, integer: false, scale: 'log', file: 'train.ts' },
      { name: 'PATTERN', type: 'choice', choices: ['SSSL', 'L'], file: 'train.ts' },
      { name: 'DEPTH', type: 'number', min: 1, max: 32, integer: true, scale: 'linear', file: 'model.py' },
      { name: 'DROPOUT', type: 'number', min: 0, max: 1, integer: false, scale: 'linear', file: 'model.py' },
    ],
    defaults: { LR: 0.04, PATTERN: 'SSSL', DEPTH: 8, DROPOUT: 0 },
    hiddenFiles: [],
  };
  return { dir, task };
}

describe('readParamValues / applyParamValues', () => {
  it('reads values across TypeScript and Python files', async () => {
    const { dir, task } = setUp('read');
    expect(await readParamValues(dir, task)).toEqual({ LR: 0.04, PATTERN: 'SSSL', DEPTH: 8, DROPOUT: 0 });
  });

  it('writes each value into its own file and reports only the files that changed', async () => {
    const { dir, task } = setUp('write');
    const result = await applyParamValues(dir, task, { DEPTH: 12, DROPOUT: 1 });
    expect(result).toEqual({ ok: true, changedFiles: ['model.py'] });
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toBe('DEPTH = 12\nDROPOUT = 1.0\n');
    expect(readFileSync(join(dir, 'train.ts'), 'utf8')).toBe(trainTs);
    expect(await readParamValues(dir, task)).toEqual({ LR: 0.04, PATTERN: 'SSSL', DEPTH: 12, DROPOUT: 1 });
    expect(await applyParamValues(dir, task, { DEPTH: 12 })).toEqual({ ok: true, changedFiles: [] });
  });

  it('writes nothing when any value fails', async () => {
    const { dir, task } = setUp('atomic');
    writeFileSync(join(dir, 'model.py'), 'DEPTH = 8\nDROPOUT = 0.0\nDROPOUT = 0.1\n');
    const result = await applyParamValues(dir, task, { LR: 0.1, DROPOUT: 0.5 });
    expect(result).toEqual({
      ok: false,
      reason: 'model.py: constant DROPOUT is assigned 2 times (lines 2, 3); it must be assigned once',
    });
    expect(readFileSync(join(dir, 'train.ts'), 'utf8')).toBe(trainTs);
  });

  it('refuses names that are not params', async () => {
    const { dir, task } = setUp('unknown');
    expect(await applyParamValues(dir, task, { WIDTH: 3 })).toEqual({
      ok: false,
      reason: 'not params of this task: WIDTH (known: LR, PATTERN, DEPTH, DROPOUT)',
    });
  });

  it('leaves out a param whose constant a code edit removed', async () => {
    const { dir, task } = setUp('removed');
    writeFileSync(join(dir, 'model.py'), 'DROPOUT = 0.0\n');
    expect(await readParamValues(dir, task)).toEqual({ LR: 0.04, PATTERN: 'SSSL', DROPOUT: 0 });
  });
});
