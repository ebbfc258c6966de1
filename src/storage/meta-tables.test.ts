import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfigSchema } from '../records/run-config.js';
import { renderMetaSessions } from '../report/meta-sessions-section.js';
import { type Database, openDatabase } from './database.js';
import { insertMechanismEvent } from './mechanism-tables.js';
import {
  countMechanismEventsInWindow,
  listLifecycle,
  listMetaSessions,
  type MechanismLifecycle,
  type MetaSessionRecord,
  recordMetaSession,
  saveLifecycle,
} from './meta-tables.js';
import { insertRun } from './runs-table.js';

const folder = mkdtempSync(join(tmpdir(), 'bilevel-meta-tables-'));
let database: Database;

const session = (afterTrial: number, outcome: MetaSessionRecord['outcome']): MetaSessionRecord => ({
  id: `m${afterTrial}`,
  runId: 'run-1',
  afterTrial,
  mode: 'llm',
  trigger: 'cadence',
  diagnosis: { symptoms: ['repetition'], plateauLength: 4, trials: afterTrial + 1 },
  rounds: [{ round: 'explore', promptSha256: 'a'.repeat(64), prompt: 'the prompt | with a pipe', reply: { ok: 1 } }],
  chosen: { candidate: { name: 'spread' } },
  attempts: [
    { attempt: 0, sourceSha256: 'b'.repeat(64), source: 'export default 1', gate: { ok: true, problems: [] } },
  ],
  outcome,
  mechanism: outcome === 'no-selection' ? null : 'spread',
  detail: 'passed the gate on attempt 1',
  createdAt: '2026-01-01T00:00:00.000Z',
});

const activation: MechanismLifecycle = {
  runId: 'run-1',
  name: 'spread',
  origin: 'generated',
  sessionId: 'm10',
  activationOrder: 0,
  activatedAtTrial: 10,
  retiredAtTrial: null,
  reason: null,
  probation: null,
};

beforeAll(() => {
  database = openDatabase(join(folder, 'state'));
  insertRun(database, {
    id: 'run-1',
    taskName: 'synthetic',
    metric: { name: 'val_bpb', direction: 'minimize' },
    config: runConfigSchema.parse({
      task: 'synthetic',
      taskDir: '/tasks/synthetic',
      levels: ['1', '2'],
      proposer: 'random',
      trials: 30,
      budgetSeconds: 5,
      timeoutSeconds: 30,
      mode: 'params',
      seed: 1,
    }),
    state: 'running',
    stateReason: '',
    workDir: join(folder, 'work'),
    branch: 'bilevel/run-1',
    baselineCommit: 'c0',
    protectedHashes: {},
    promptHashes: {},
    pid: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
});
afterAll(() => database.close());

describe('meta tables', () => {
  it('stores a session with its lifecycle row in one transaction, and refuses a second session at the same boundary', () => {
    recordMetaSession(database, session(10, 'activated'), [activation]);
    expect(listMetaSessions(database, 'run-1')).toEqual([session(10, 'activated')]);
    expect(listLifecycle(database, 'run-1')).toEqual([activation]);
    // The unique boundary makes the whole second write fail: neither the session nor its lifecycle row lands.
    const other = { ...activation, name: 'other', activationOrder: 1 };
    expect(() => recordMetaSession(database, { ...session(10, 'refused'), id: 'again' }, [other])).toThrow();
    expect(listMetaSessions(database, 'run-1')).toHaveLength(1);
    expect(listLifecycle(database, 'run-1').map((entry) => entry.name)).toEqual(['spread']);
  });

  it('updates retirement and probation in place, and counts a window of events', () => {
    saveLifecycle(database, {
      ...activation,
      retiredAtTrial: 20,
      reason: 'probation: inert',
      probation: { verdict: 'retired' },
    });
    expect(listLifecycle(database, 'run-1')[0]).toMatchObject({
      retiredAtTrial: 20,
      probation: { verdict: 'retired' },
    });
    for (const [trialIndex, kind] of [
      [11, 'decision-changed'],
      [12, 'decision-changed'],
      [15, 'strike'],
      [25, 'decision-changed'],
    ] as const) {
      insertMechanismEvent(database, { runId: 'run-1', trialIndex, mechanism: 'spread', kind });
    }
    expect(countMechanismEventsInWindow(database, 'run-1', 'spread', 11, 20)).toEqual({
      decisionsChanged: 2,
      strikes: 1,
    });
  });

  it('renders the sessions and lifecycle as Markdown for the report', () => {
    recordMetaSession(database, session(20, 'no-selection'));
    const markdown = renderMetaSessions(database, 'run-1');
    expect(markdown).toContain('## Level 2: meta sessions');
    expect(markdown).toContain('| m10 | 10 | llm | cadence | activated | spread |');
    expect(markdown).toContain('| m20 | 20 | llm | cadence | no-selection | — |');
    expect(markdown).toContain('| spread | generated | m10 | 10 | 20 | probation: inert |');
    expect(markdown).toContain('**explore**');
    expect(renderMetaSessions(database, 'no-such-run')).toBe('');
  });
});
