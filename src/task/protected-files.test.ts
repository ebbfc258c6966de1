import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../core/hash.js';
import { hashProtectedFiles, verifyProtectedFiles } from './protected-files.js';
import type { TaskDefinition } from './task-definition.js';

const scratch = mkdtempSync(join(tmpdir(), 'bilevel-protected-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const definition: TaskDefinition = {
  name: 'harness',
  description: 'a harness',
  editable: ['train.py'],
  protected: ['prepare.py', 'evaluate.py'],
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
};

describe('protected files', () => {
  it('hashes each protected file and finds changed or missing ones', async () => {
    writeFileSync(join(scratch, 'prepare.py'), 'A = 1\n');
    writeFileSync(join(scratch, 'evaluate.py'), 'B = 2\n');
    const hashes = await hashProtectedFiles(scratch, definition.protected);
    expect(hashes).toEqual({ 'prepare.py': sha256('A = 1\n'), 'evaluate.py': sha256('B = 2\n') });
    expect(await verifyProtectedFiles(scratch, definition, hashes)).toEqual([]);

    writeFileSync(join(scratch, 'prepare.py'), 'A = 2\n');
    expect(await verifyProtectedFiles(scratch, definition, hashes)).toEqual(['prepare.py']);
    rmSync(join(scratch, 'evaluate.py'));
    expect(await verifyProtectedFiles(scratch, definition, hashes)).toEqual(['prepare.py', 'evaluate.py']);
  });

  it('refuses to hash when a protected file is missing', async () => {
    await expect(hashProtectedFiles(join(scratch, 'nowhere'), definition.protected)).rejects.toMatchObject({
      code: 'TASK_INVALID',
    });
  });
});
