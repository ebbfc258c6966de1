import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRandomProposer } from '../inner/random-proposer.js';
import { driveRun } from '../inner/run-loop.js';
import { openDatabase } from '../storage/database.js';
import { loadTask } from '../task/load-task.js';
import { createRun, openSession } from './open-run.js';
import { loadRunMechanisms } from './run-mechanisms.js';

const toyTask = fileURLToPath(new URL('../../test/fixtures/toy-task', import.meta.url));

describe('loadRunMechanisms', () => {
  it("configures mechanisms with the run's stored params, at the start and again on a resume", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-run-mechanisms-'));
    const database = openDatabase(stateDir);
    const task = await loadTask(toyTask);
    const configs = { 'plateau-restart': { patience: 3, from: 'last', duration: 1 } };
    const { run } = await createRun(
      database,
      stateDir,
      {
        task: toyTask,
        levels: ['1'],
        proposer: 'random',
        trials: 3,
        budgetSeconds: 1,
        timeoutSeconds: 2,
        mode: 'params',
        seed: 4,
        mechanisms: ['tabu', 'plateau-restart'],
        mechanismConfigs: configs,
        outerEvery: 5,
        noiseThreshold: 0,
        historyLimit: 200,
        proposalAttempts: 2,
        fixAttempts: 0,
      },
      task,
    );
    const fresh = await loadRunMechanisms(database, stateDir, run, task);
    expect(fresh?.composed.configOf('plateau-restart')).toEqual(configs['plateau-restart']);
    expect(fresh?.composed.configOf('tabu')).toMatchObject({ tenure: expect.any(Number) });

    const session = await openSession(
      database,
      stateDir,
      { run, task },
      {
        proposer: createRandomProposer(),
        mechanisms: fresh?.composed,
        signal: new AbortController().signal,
      },
    );
    expect((await driveRun(session)).state).toBe('finished');

    const resumed = await loadRunMechanisms(database, stateDir, run, task);
    expect(resumed?.composed.configOf('plateau-restart')).toEqual(configs['plateau-restart']);
    await resumed?.composed.dispose();
    database.close();
  }, 30_000);
});
