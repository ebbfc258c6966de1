import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPng } from '../../test/helpers/read-png.js';
import { runConfigSchema } from '../records/run-config.js';
import type { TrialStatus } from '../records/trial-record.js';
import { type Database, openDatabase } from '../storage/database.js';
import { insertLlmCall } from '../storage/llm-calls-table.js';
import { insertMechanismEvent, saveMechanismActivity } from '../storage/mechanism-tables.js';
import { insertRun, updateRunState } from '../storage/runs-table.js';
import { insertSettingsSnapshot } from '../storage/settings-table.js';
import { insertTrial } from '../storage/trials-table.js';
import { buildRunReport, reportFileNames, writeRunReport } from './run-report.js';

const folder = mkdtempSync(join(tmpdir(), 'bilevel-run-report-'));
let database: Database;
const metrics: [TrialStatus, number | null][] = [
  ['keep', 1.1],
  ['discard', 1.15],
  ['crash', null],
  ['keep', 1.05],
  ['rejected', null],
  ['discard', 1.06],
];

beforeAll(() => {
  database = openDatabase(join(folder, 'state'));
  insertRun(database, {
    id: 'fixture-run',
    taskName: 'synthetic',
    metric: { name: 'val_bpb', direction: 'minimize' },
    config: runConfigSchema.parse({
      task: 'synthetic',
      taskDir: '/tasks/synthetic',
      levels: ['1', '1.5'],
      proposer: 'llm',
      llm: { default: 'openai:fixture-model' },
      trials: 8,
      budgetSeconds: 60,
      timeoutSeconds: 120,
      mode: 'params',
      seed: 11,
      mechanisms: ['tabu'],
      outerEvery: 3,
    }),
    state: 'running',
    stateReason: '',
    workDir: join(folder, 'work'),
    branch: 'bilevel/fixture-run',
    baselineCommit: 'c0',
    protectedHashes: {},
    promptHashes: { 'propose.md': 'feedbeef'.repeat(8) },
    pid: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  metrics.forEach(([status, metric], index) => {
    insertTrial(database, {
      runId: 'fixture-run',
      index,
      status,
      metric,
      parent: index < 4 ? 0 : 3,
      commit: status === 'keep' ? `c${index}` : null,
      values: { LR: 0.04 + index / 100 },
      changed: index === 0 ? {} : { LR: [0.04, 0.04 + index / 100] },
      summary: index === 0 ? 'baseline' : `raise LR (idea ${index})`,
      reason: status === 'crash' ? 'exit code 1' : status === 'discard' ? 'not better' : '',
      proposal: null,
      attempts: [],
      confirmations: [],
      diff: '',
      logPath: null,
      wallSeconds: 10,
      peakMemoryMb: null,
      proposer: null,
      startedAt: `2026-01-01T00:0${index}:00.000Z`,
      endedAt: `2026-01-01T00:0${index}:10.000Z`,
      worker: null,
      inFlight: [],
    });
  });
  insertSettingsSnapshot(database, 'fixture-run', 1, 3, {
    cycle: 1,
    afterTrial: 3,
    settings: { frozen: ['DEPTH'], strategy: 'exploit', guidance: 'keep raising LR' },
    analyst: 'rules',
    rationale: 'LR up was kept.',
    changes: ['froze DEPTH'],
    ok: true,
  });
  saveMechanismActivity(database, 'fixture-run', 'tabu', {
    name: 'tabu',
    origin: 'builtin',
    status: 'active',
    hookCalls: { screenProposal: 5, onTrialEnd: 5 },
    decisionsChanged: 1,
    strikes: 0,
  });
  insertMechanismEvent(database, {
    runId: 'fixture-run',
    trialIndex: 4,
    mechanism: 'tabu',
    kind: 'decision-changed',
    hook: 'screenProposal',
    before: { accept: true },
    after: { accept: false, reason: 'LR=0.08 was tried at trial 2' },
  });
  insertLlmCall(database, {
    runId: 'fixture-run',
    trialIndex: 1,
    role: 'propose',
    provider: 'openai',
    model: 'fixture-model',
    promptHash: 'feedbeef',
    inputTokens: 900,
    outputTokens: 120,
    latencyMs: 800,
    costUsd: 0.002,
    ok: true,
  });
});

afterAll(() => {
  database.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('buildRunReport (fixture database)', () => {
  it('puts every section in order, with the run facts, and says the run is not finished', async () => {
    const report = await buildRunReport(database, 'fixture-run', { now: new Date('2026-01-02T00:00:00Z') });
    const headings = report.markdown.split('\n').filter((line) => /^##? /.test(line));
    expect(headings).toEqual([
      '# Run fixture-run',
      '## Convergence',
      '## What changed: baseline → best',
      '## Trials',
      '## Level 1.5: search settings history',
      '## Level 2: meta sessions',
      '## Mechanisms',
    ]);
    expect(report.markdown).toContain('still running');
    expect(report.markdown).toContain('baseline 1.100000 → best 1.050000 at trial 3');
    expect(report.markdown).toContain(
      '6 recorded of 9 planned (baseline + 8) — 2 keep, 2 discard, 1 crash, 1 rejected',
    );
    expect(report.markdown).toContain('1 calls, 900 input / 120 output tokens, ~$0.0020');
    expect(report.markdown).toContain('- **Proposer:** llm (openai:fixture-model); seed 11');
    expect(report.markdown).toContain('propose.md `feedbeeffeed`');
    expect(report.markdown).toContain('| 1 | 3 | DEPTH | exploit | keep raising LR | froze DEPTH | rules | ok |');
    expect(report.markdown).toContain('No meta sessions in this run.');
    expect(report.markdown).toContain(
      '- trial 4, screenProposal: `{"accept":true}` → `{"accept":false,"reason":"LR=0.08 was tried at trial 2"}`',
    );
    expect(report.markdown).toContain('![Best val_bpb so far by trial](convergence.svg)');
    expect(report.chart.bestSoFar).toEqual([1.1, 1.1, 1.1, 1.05, 1.05, 1.05]);
    expect(report.markdown).toContain("Best: trial 3, val_bpb 1.050000 against the baseline's 1.100000 (4.55% lower)");
    expect(report.markdown).toContain("No diff: the run's working copy could not be read");
    expect(report.bestPatch).toBeNull();
  });

  it('says "no meta sessions" when the renderer has nothing, and keeps a heading the renderer brings', async () => {
    const empty = await buildRunReport(database, 'fixture-run', { metaSessions: async () => '  \n' });
    expect(empty.markdown).toContain('## Level 2: meta sessions\n\nNo meta sessions in this run.');
    const own = await buildRunReport(database, 'fixture-run', {
      metaSessions: () => '## Level 2: meta sessions\n\n| s |',
    });
    expect(own.markdown).toContain('## Level 2: meta sessions\n\n| s |\n\n## Mechanisms');
  });

  it('leads with the failure for a failed run, and uses the given meta-sessions renderer', async () => {
    updateRunState(database, 'fixture-run', 'failed', 'disk full', null);
    const report = await buildRunReport(database, 'fixture-run', {
      metaSessions: (_database: unknown, runId: string) => `### Session 1 (${runId})\n\nDiagnosed a plateau.`,
    });
    expect(report.markdown.split('\n')[2]).toMatch(
      /^> \*\*Failed\*\*: disk full \(trials: 6 recorded of 9 planned \(baseline \+ 8\)\)/,
    );
    expect(report.markdown).toContain(
      '## Level 2: meta sessions\n\n### Session 1 (fixture-run)\n\nDiagnosed a plateau.',
    );
    updateRunState(database, 'fixture-run', 'running', '', null);
  });

  it('writes report.md, convergence.svg and a decodable convergence.png into the folder', async () => {
    const out = join(folder, 'report-out');
    const written = await writeRunReport(database, 'fixture-run', out);
    expect(written).toEqual({
      runId: 'fixture-run',
      directory: out,
      markdown: join(out, reportFileNames.markdown),
      svg: join(out, reportFileNames.svg),
      png: join(out, reportFileNames.png),
      transcripts: [],
    });
    expect(readFileSync(written.markdown, 'utf8')).toContain('# Run fixture-run');
    const svg = readFileSync(written.svg, 'utf8');
    // One mark per trial, titled with what it is; the best so far as one step line.
    expect([...svg.matchAll(/<polygon class="trial [^"]*"/g)]).toHaveLength(metrics.length);
    expect([...svg.matchAll(/<polyline class="best-so-far"/g)]).toHaveLength(1);
    const png = readPng(readFileSync(written.png));
    expect([png.width, png.height]).toEqual([800, 480]);
    expect(existsSync(`${written.png}.tmp`)).toBe(false);
  });

  it('throws RUN_NOT_FOUND for an unknown run', async () => {
    await expect(buildRunReport(database, 'no-such-run')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
  });
});
