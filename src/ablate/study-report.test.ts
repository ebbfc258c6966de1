import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../records/run-config.js';
import { compareGroups } from '../stats/compare-groups.js';
import { type Database, openDatabase } from '../storage/database.js';
import { insertRun } from '../storage/runs-table.js';
import { ensureStudy, insertStudyRun } from '../storage/study-tables.js';
import { insertTrial } from '../storage/trials-table.js';
import { renderStudyMarkdown } from './render-study-markdown.js';
import { type StudyDefinition, studyId } from './study-definition.js';
import { buildStudyReport } from './study-report.js';
import { studyReportJson } from './write-study-report.js';

const controls = {
  task: 'synthetic',
  taskDir: '/tasks/synthetic',
  proposer: 'random',
  trials: 2,
  budgetSeconds: 5,
  timeoutSeconds: 30,
  mode: 'params',
  outerEvery: 5,
  noiseThreshold: 0,
  historyLimit: 200,
  proposalAttempts: 2,
  fixAttempts: 1,
  metaEvery: 2,
  metaPlateau: 10,
  probationWindow: 10,
  repairAttempts: 2,
  workers: 1,
  slotEnv: [] as string[],
  isolation: 'auto',
  trialNetwork: false,
} as const;

function definition(baseline: 'per-group' | 'shared'): StudyDefinition {
  return {
    version: 'study-v1',
    groups: [
      { name: 'A', levels: ['1'], mechanisms: [] },
      { name: 'B', levels: ['1', '1.5'], mechanisms: [] },
    ],
    repeats: 3,
    firstSeed: 0,
    baseline,
    restart: { from: 'none', every: 8, duration: 2 },
    controls,
  };
}

/** Fixed data: A's baselines 1.10/1.12/1.08; B's 0.01 higher (B's noise differs), so the baseline option matters. */
const runs = {
  A: { baselines: [1.1, 1.12, 1.08], bests: [1.091, 1.1139, 1.0678] },
  B: { baselines: [1.11, 1.13, 1.09], bests: [1.055, 1.108, 1.002] },
};

function seed(database: Database): void {
  for (const baseline of ['per-group', 'shared'] as const) ensureStudy(database, studyId(definition(baseline)), {});
  for (const [group, data] of Object.entries(runs)) {
    data.baselines.forEach((baseline, repeat) => {
      const runId = `run-${group}-${repeat}`;
      const config: RunConfig = { ...controls, levels: ['1'], seed: repeat, mechanisms: [] };
      insertRun(database, {
        id: runId,
        taskName: 'synthetic',
        metric: { name: 'val_bpb', direction: 'minimize' },
        config,
        state: 'finished',
        stateReason: '',
        workDir: '/nowhere',
        branch: 'b',
        baselineCommit: 'c0',
        protectedHashes: {},
        promptHashes: {},
        pid: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      // Trial 2 is discarded although its metric is lower: only kept trials count as the best.
      const metrics: [string, number][] = [
        ['keep', baseline],
        ['keep', data.bests[repeat] as number],
        ['discard', 0.5],
      ];
      metrics.forEach(([status, metric], index) => {
        insertTrial(database, {
          runId,
          index,
          status: status as 'keep' | 'discard',
          metric,
          values: {},
          changed: {},
          summary: index === 0 ? 'baseline' : `t${index}`,
          reason: '',
          parent: 0,
          commit: status === 'keep' ? `c${index}` : null,
          proposal: null,
          attempts: [],
          confirmations: [],
          diff: '',
          logPath: null,
          wallSeconds: 1,
          peakMemoryMb: null,
          proposer: null,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: '2026-01-01T00:00:01.000Z',
          worker: null,
          inFlight: [],
        });
      });
      for (const baselineKind of ['per-group', 'shared'] as const) {
        insertStudyRun(database, { studyId: studyId(definition(baselineKind)), group, repeat, runId });
      }
    });
  }
}

const database = openDatabase(mkdtempSync(join(tmpdir(), 'bilevel-study-report-')));
seed(database);
afterAll(() => database.close());

describe('buildStudyReport (fixed runs in a real state database)', () => {
  it('measures each run from its own baseline, and matches scipy on the Welch test (p = 0.13645)', () => {
    const report = buildStudyReport(database, definition('per-group'));
    const [a, b] = report.groups;
    expect(a?.improvements.map((value) => Number(value.toFixed(6)))).toEqual([0.009, 0.0061, 0.0122]);
    expect(b?.improvements.map((value) => Number(value.toFixed(6)))).toEqual([0.055, 0.022, 0.088]);
    expect(b?.runs[0]).toMatchObject({ baseline: 1.11, baselineUsed: 1.11, best: { trial: 1, metric: 1.055 } });
    expect(b?.summary?.sd).toBeCloseTo(0.033, 12);
    expect(b?.bestRun).toMatchObject({ repeat: 2, runId: 'run-B-2' });
    expect(report.comparisons).toHaveLength(1);
    const comparison = report.comparisons[0];
    expect(comparison).toMatchObject({ a: 'B', b: 'A', n: { a: 3, b: 3 } });
    // Reference: scipy.stats.ttest_ind(B, A, equal_var=False) and scipy.stats.permutation_test.
    expect(comparison?.welch.t).toBeCloseTo(2.398892816697029, 9);
    expect(comparison?.welch.df).toBeCloseTo(2.0341940114024837, 9);
    expect(comparison?.welch.p).toBeCloseTo(0.13644599181981748, 9);
    expect(comparison?.permutation.p).toBeCloseTo(0.1, 12);
    expect(comparison?.meanDifference).toBeCloseTo(0.0459, 12);
    expect(report.complete).toBe(true);
  });

  it("with a shared baseline, measures every group from the repeat's first group (scipy p = 0.19930)", () => {
    const report = buildStudyReport(database, definition('shared'));
    const b = report.groups[1];
    expect(b?.runs.map((run) => run.baselineUsed)).toEqual([1.1, 1.12, 1.08]);
    expect(b?.improvements.map((value) => Number(value.toFixed(6)))).toEqual([0.045, 0.012, 0.078]);
    const comparison = report.comparisons[0];
    expect(comparison?.welch.p).toBeCloseTo(0.19930021368116857, 9);
    expect(comparison?.permutation.p).toBeCloseTo(0.2, 12);
    expect(report.protocol.baseline).toMatch(/shared.*first group \(A\)/);
  });

  it('reports the same statistics as compareGroups on the improvements, and a kept-only convergence', () => {
    const report = buildStudyReport(database, definition('per-group'));
    const [a, b] = report.groups;
    const reference = compareGroups(b?.improvements ?? [], a?.improvements ?? [], { seed: 0 });
    expect(report.comparisons[0]).toMatchObject({
      welch: reference.welch,
      permutation: reference.permutation,
      hedgesG: reference.hedgesG,
      repeatsNeeded: reference.repeatsNeeded,
    });
    const convergence = a?.runs[0]?.convergence ?? [];
    expect(convergence[0]).toBe(0);
    expect(convergence[1]).toBeCloseTo(0.009, 12);
    expect(convergence[2]).toBeCloseTo(0.009, 12);
  });

  it('renders the paper-shaped table and the tests in report.md, and keeps non-finite numbers in report.json', () => {
    const report = buildStudyReport(database, definition('per-group'));
    const markdown = renderStudyMarkdown(report);
    expect(markdown).toContain(
      '| A | 1 | random | — | 3 | 0.0091 ± 0.00305 | 0.009 | [0.0061, 0.0122] | 0.0122 (r2) |',
    );
    expect(markdown).toContain('| B vs A | 3 vs 3 | 0.0459 | 2.40 (2.0) | 0.136 | 0.100 |');
    expect(markdown).toContain('| B | 2 | 2 | `run-B-2` | finished | 1.09 | 1.09 | 1.002 (1) | 0.088 | 3 |');
    const json = JSON.parse(
      studyReportJson({ ...report, comparisons: [{ ...report.comparisons[0]!, repeatsNeeded: Infinity }] }),
    );
    expect(json.comparisons[0].repeatsNeeded).toBe('Infinity');
  });
});
