import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../records/trial-record.js';
import { appendResultsRow, resultsRow, writeResultsTsv } from './results-tsv.js';

function trial(overrides: Partial<TrialRecord>): TrialRecord {
  return {
    runId: 'run',
    index: 1,
    status: 'discard',
    metric: 1.234567891,
    parent: 0,
    commit: '0123456789abcdef0123456789abcdef01234567',
    values: {},
    changed: {},
    summary: 'raise LR to 0.05',
    reason: 'not better than 1.2 (trial 0)',
    proposal: null,
    attempts: [],
    confirmations: [],
    diff: '',
    logPath: null,
    wallSeconds: 1,
    peakMemoryMb: 2048,
    proposer: 'random',
    worker: 'local slot 0',
    inFlight: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    ...overrides,
  };
}

describe('results.tsv rows (autoresearch columns)', () => {
  it("writes the short commit and the proposal's description, not the judge's reason", () => {
    expect(resultsRow(trial({}))).toBe('0123456\t1.234568\t2.0\tdiscard\traise LR to 0.05\n');
    expect(resultsRow(trial({ status: 'crash', metric: null, peakMemoryMb: null, reason: 'exit code 1' }))).toBe(
      '0123456\t0.000000\t0.0\tcrash\traise LR to 0.05\n',
    );
  });

  it('keeps a row on one line whatever the description holds, and marks a record without a commit', () => {
    const row = resultsRow(trial({ commit: null, summary: 'two\tcolumns\nand lines' }));
    expect(row).toBe('-\t1.234568\t2.0\tdiscard\ttwo columns and lines\n');
    expect(row.split('\t')).toHaveLength(5);
  });

  it('rewrites the whole file with its header, then appends one row per trial', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bilevel-tsv-')), 'results.tsv');
    writeResultsTsv(path, 'val_bpb', [trial({ index: 0, status: 'keep', summary: 'baseline' })]);
    appendResultsRow(path, trial({}));
    expect((await readFile(path, 'utf8')).split('\n')).toEqual([
      'commit\tval_bpb\tmemory_gb\tstatus\tdescription',
      '0123456\t1.234568\t2.0\tkeep\tbaseline',
      '0123456\t1.234568\t2.0\tdiscard\traise LR to 0.05',
      '',
    ]);
  });
});
