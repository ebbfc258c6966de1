import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionParts } from '../inner/open-run.js';
import type { ComposedMechanisms } from '../mechanisms/compose.js';
import { openDatabase } from '../storage/database.js';
import type { RunRecord } from '../storage/runs-table.js';
import { loadTask } from '../task/load-task.js';
import { withStudyMechanisms } from './study-mechanisms.js';

describe('withStudyMechanisms', () => {
  it("replaces default-configured mechanisms by ones with the study's params, and disposes the old ones", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bilevel-study-mechanisms-'));
    const database = openDatabase(stateDir);
    const task = await loadTask('synthetic');
    const run = {
      id: 'run-x',
      config: { seed: 3, mechanisms: ['tabu', 'plateau-restart'], mode: 'params' },
    } as unknown as RunRecord;
    let disposed = 0;
    const parts: SessionParts = {
      signal: new AbortController().signal,
      proposer: {} as SessionParts['proposer'],
      dispose: async () => {
        disposed += 1;
      },
    };
    const configured = await withStudyMechanisms(parts, database, stateDir, run, task, {
      'plateau-restart': { patience: 3, from: 'last', duration: 1 },
    });
    expect(disposed).toBe(1);
    const composed = configured.mechanisms as ComposedMechanisms;
    expect(composed.configOf('plateau-restart')).toEqual({ patience: 3, from: 'last', duration: 1 });
    expect(composed.activity().map((activity) => activity.name)).toEqual(['tabu', 'plateau-restart']);
    const untouched = await withStudyMechanisms(parts, database, stateDir, run, task, {});
    expect(untouched).toBe(parts);
    database.close();
  });
});
