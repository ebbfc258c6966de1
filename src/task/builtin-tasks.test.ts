import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinTaskNames, listBuiltinTasks } from './builtin-tasks.js';
import { packageRoot } from './package-root.js';

describe('built-in tasks', () => {
  it('finds the package root by its package.json', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(packageRoot(), 'tasks'))).toBe(true);
  });

  it('lists the synthetic task with its kind and description', async () => {
    const tasks = await listBuiltinTasks();
    const synthetic = tasks.find((task) => task.name === 'synthetic');
    expect(synthetic).toEqual({
      name: 'synthetic',
      kind: 'synthetic',
      description: expect.stringMatching(/^SYNTHETIC/),
      dir: join(packageRoot(), 'tasks', 'synthetic'),
    });
    expect(tasks.map((task) => task.name)).toEqual(await builtinTaskNames());
    expect([...tasks.map((task) => task.name)].sort()).toEqual(tasks.map((task) => task.name));
  });
});
