import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { OptunaStudy, SidecarOptions } from '../optimizers/optuna-sidecar.js';
import type { RunConfig } from '../records/run-config.js';
import type { TrialAttempt, TrialRecord } from '../records/trial-record.js';
import { type Database, openDatabase } from '../storage/database.js';
import { insertRun } from '../storage/runs-table.js';
import { insertTrial } from '../storage/trials-table.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import { createOptunaProposer } from './optuna-proposer.js';
import type { ProposalContext } from './proposer.js';

const params: ParamSpec[] = [
  { name: 'LR', type: 'number', min: 0.001, max: 1, integer: false, scale: 'log', file: 'train.ts' },
  { name: 'DEPTH', type: 'number', min: 1, max: 12, integer: true, scale: 'linear', file: 'train.ts' },
  { name: 'ACT', type: 'choice', choices: ['relu', 'gelu'], file: 'train.ts' },
] as ParamSpec[];
const defaults = { LR: 0.01, DEPTH: 4, ACT: 'relu' };

/**
 * A stand-in for the Optuna study that logs every operation and answers asks from a generator seeded by the
 * sampler seed and advanced by every operation, like a sampler whose proposals depend on everything it was told.
 */
function fakeStudy(log: string[]) {
  return async (options: SidecarOptions): Promise<OptunaStudy> => {
    let number = 0;
    let state = options.seed;
    const stir = (text: string) => {
      log.push(text);
      for (const char of text) state = (Math.imul(state ^ char.charCodeAt(0), 16777619) >>> 0) as number;
    };
    return {
      async ask(fixed) {
        const rng = createRng(state);
        const params = {
          LR: Number((0.001 + rng.next()).toFixed(4)),
          DEPTH: 1 + rng.int(12),
          ACT: rng.next() < 0.5 ? 'relu' : 'gelu',
        } as Record<string, ParamValue>;
        for (const name of Object.keys(fixed)) delete params[name];
        stir(`ask #${number} fixed=${JSON.stringify(fixed)} -> ${JSON.stringify(params)}`);
        return { number: number++, params };
      },
      async tell(asked, value) {
        stir(`tell #${asked} ${value}`);
      },
      async add(values, value) {
        number++;
        stir(`add ${JSON.stringify(values)} ${value}`);
      },
      close() {},
    };
  };
}

function openRun(): Database {
  const database = openDatabase(mkdtempSync(join(tmpdir(), 'bilevel-optuna-')));
  const config = {
    task: 'synthetic',
    taskDir: '/t',
    proposer: 'mix:llm=0.5,optuna:tpe=0.5',
    levels: ['1'],
    trials: 8,
    budgetSeconds: 5,
    timeoutSeconds: 30,
    mode: 'params',
    seed: 3,
    mechanisms: [],
  } as unknown as RunConfig;
  insertRun(database, {
    id: 'run',
    taskName: 'synthetic',
    metric: { name: 'loss', direction: 'minimize' },
    config,
    state: 'running',
    stateReason: '',
    workDir: '/nowhere',
    branch: 'b',
    baselineCommit: 'c0',
    protectedHashes: {},
    promptHashes: {},
    pid: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  return database;
}

function record(database: Database, trial: Partial<TrialRecord> & Pick<TrialRecord, 'index' | 'status'>): void {
  insertTrial(database, {
    runId: 'run',
    metric: null,
    values: defaults,
    changed: {},
    summary: '',
    reason: '',
    parent: 0,
    commit: null,
    proposal: null,
    attempts: [],
    confirmations: [],
    diff: '',
    logPath: null,
    wallSeconds: 1,
    peakMemoryMb: null,
    proposer: null,
    worker: 'local slot 0',
    inFlight: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    ...trial,
  });
}

function context(trialIndex: number, attempt = 0): ProposalContext {
  return {
    task: { name: 't', description: '', metric: { name: 'loss', direction: 'minimize' }, mode: 'params' },
    params,
    current: defaults,
    files: {},
    pending: [],
    incumbentMetric: 1,
    history: [],
    trialCount: trialIndex,
    settings: { frozen: ['ACT'], strategy: 'balanced', guidance: '' },
    guidance: [],
    focus: [],
    avoid: [],
    trialIndex,
    attempt,
    seed: 0,
  };
}

/**
 * A scripted run: trial 1 by the LLM (kept), trial 2 by Optuna (its first proposal rejected, the retry crashed),
 * trial 3 by a mechanism (discarded), trial 4 by Optuna (discarded), trial 5 by Optuna (in flight when killed).
 */
async function liveRun(database: Database, log: string[]) {
  const proposer = createOptunaProposer({
    database,
    runId: 'run',
    sampler: 'tpe',
    runSeed: 3,
    python: 'unused',
    direction: 'minimize',
    params,
    start: fakeStudy(log),
  });
  const values = async (index: number, attempt = 0) => {
    const result = await proposer.propose(context(index, attempt));
    if (!result.ok) throw new Error(result.reason);
    return result.proposal as Extract<typeof result.proposal, { kind: 'params' }>;
  };
  record(database, { index: 0, status: 'keep', metric: 1 });
  record(database, { index: 1, status: 'keep', metric: 0.9, values: { ...defaults, LR: 0.02 }, proposer: 'llm' });
  const rejected = await values(2, 0);
  const retry = await values(2, 1);
  const attempts: TrialAttempt[] = [{ kind: 'rejected', reason: 'no', proposal: rejected, proposer: 'optuna:tpe' }];
  record(database, {
    index: 2,
    status: 'crash',
    values: { ...defaults, ...retry.values },
    proposal: retry,
    attempts,
    proposer: 'optuna:tpe',
  });
  record(database, {
    index: 3,
    status: 'discard',
    metric: 1.2,
    values: { ...defaults, DEPTH: 9 },
    proposer: 'mechanism:m',
  });
  const fourth = await values(4);
  record(database, {
    index: 4,
    status: 'discard',
    metric: 0.95,
    values: { ...defaults, ...fourth.values },
    proposal: fourth,
    proposer: 'optuna:tpe',
  });
  const fifth = await values(5);
  await proposer.dispose();
  return { fourth, fifth };
}

describe('the Optuna proposer (a fake study that logs what it is told)', () => {
  it('tells the study every recorded trial: its own with their outcome, rejected attempts as failures, the others as added trials', async () => {
    const log: string[] = [];
    const { fourth } = await liveRun(openRun(), log);
    expect(log.map((line) => line.replace(/ fixed=.*/, '').replace(/ \{.*\}/, ' {…}'))).toEqual([
      'add {…} 1', // the baseline
      'add {…} 0.9', // the LLM's trial 1
      'ask #2', // trial 2, attempt 0
      'tell #2 null', // rejected unrun
      'ask #3', // trial 2, attempt 1
      'tell #3 null', // it crashed
      'add {…} 1.2', // the mechanism's trial 3
      'ask #5', // trial 4
      'tell #5 0.95',
      'ask #6', // trial 5
    ]);
    // Frozen params are held at the parent's values and left out of the proposal.
    expect(log[2]).toContain('fixed={"ACT":"relu"}');
    expect(Object.keys(fourth.values).sort()).toEqual(['DEPTH', 'LR']);
  });

  it('rebuilds the study on a new process by replaying the record: the same operations, the same next proposal', async () => {
    const database = openRun();
    const liveLog: string[] = [];
    const { fifth } = await liveRun(database, liveLog);
    // A new process (a resume): trial 5 was in flight and is proposed again.
    const resumedLog: string[] = [];
    const notes: string[] = [];
    const resumed = createOptunaProposer({
      database,
      runId: 'run',
      sampler: 'tpe',
      runSeed: 3,
      python: 'unused',
      direction: 'minimize',
      params,
      start: fakeStudy(resumedLog),
      onNote: (message) => notes.push(message),
    });
    const again = await resumed.propose(context(5));
    expect(resumedLog).toEqual(liveLog);
    expect(again.ok && again.proposal).toEqual(fifth);
    expect(notes).toEqual([]);
  });

  it('says so on resume when the sampler does not make its recorded proposals again', async () => {
    const database = openRun();
    await liveRun(database, []);
    const notes: string[] = [];
    const other = createOptunaProposer({
      database,
      runId: 'run',
      sampler: 'tpe',
      runSeed: 4, // another seed: other proposals
      python: 'unused',
      direction: 'minimize',
      params,
      start: fakeStudy([]),
      onNote: (message) => notes.push(message),
    });
    await other.propose(context(5));
    expect(notes).toEqual([
      expect.stringMatching(/^optuna:tpe: on resume the sampler did not make 3 of its recorded proposals again/),
    ]);
  });
});
