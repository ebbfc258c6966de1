import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRecordedRun } from '../serve/__fixtures__/recorded-state.js';
import { openDatabase } from './database.js';
import { openDatabaseReadOnly } from './read-only-database.js';
import {
  keptTrialMetrics,
  trialDigests,
  trialPage,
  trialPoints,
  trialRecordViews,
  trialStatusCounts,
  trialsInFlight,
  trialWhole,
} from './trial-reads.js';
import { listTrials } from './trials-table.js';

function recorded(trials = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'bilevel-trial-reads-'));
  const writer = openDatabase(dir);
  writeRecordedRun(writer, dir, { id: 'r1', trials, logs: false });
  return { dir, writer };
}

describe('trial reads for viewers', () => {
  it('pages by index either way, filters by status, and counts what matches', () => {
    const { writer } = recorded();
    const all = listTrials(writer, 'r1');
    const newest = trialPage(writer, 'r1', { offset: 0, limit: 10, order: 'desc', statuses: [] });
    expect(newest.total).toBe(31);
    expect(newest.rows.map((row) => row.index)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    const second = trialPage(writer, 'r1', { offset: 10, limit: 10, order: 'asc', statuses: [] });
    expect(second.rows.map((row) => row.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const kept = trialPage(writer, 'r1', { offset: 0, limit: 100, order: 'asc', statuses: ['keep'] });
    expect(kept.rows.map((row) => row.index)).toEqual(all.filter((t) => t.status === 'keep').map((t) => t.index));
    expect(kept.total).toBe(trialStatusCounts(writer, 'r1').keep);
    const row = second.rows[0];
    const record = all[10];
    expect(row).toMatchObject({ summary: record?.summary, reason: record?.reason, changed: record?.changed });
    expect(row).not.toHaveProperty('diff');
    expect(row).not.toHaveProperty('underLoad');
  });

  it('gives chart points, digests, kept metrics and level views that agree with the full records', () => {
    const { writer } = recorded();
    const all = listTrials(writer, 'r1');
    expect(trialPoints(writer, 'r1')).toEqual(all.map((t) => ({ index: t.index, status: t.status, metric: t.metric })));
    expect(keptTrialMetrics(writer, 'r1')).toEqual(
      all.filter((t) => t.status === 'keep').map((t) => ({ index: t.index, metric: t.metric })),
    );
    expect(trialDigests(writer)).toEqual([
      { runId: 'r1', trials: 31, baseline: all[0]?.metric, lastRowid: 31, lastEndedAt: all[30]?.endedAt },
    ]);
    expect(trialRecordViews(writer, 'r1')[7]).toEqual({
      index: 7,
      status: all[7]?.status,
      metric: all[7]?.metric,
      parent: all[7]?.parent,
      values: all[7]?.values,
      changed: all[7]?.changed,
      summary: all[7]?.summary,
      reason: all[7]?.reason,
    });
    expect(trialWhole(writer, 'r1', 5)).toMatchObject({ diff: all[5]?.diff, values: all[5]?.values, extra: {} });
    expect(trialWhole(writer, 'r1', 99)).toBeUndefined();
  });

  it('reads the columns newer versions add where they exist, and shows unknown ones as extra fields', () => {
    const { dir, writer } = recorded(5);
    const present = new Set(
      (writer.prepare('PRAGMA table_info(trials)').all() as { name: string }[]).map((c) => c.name),
    );
    for (const [column, type] of [
      ['proposer', 'TEXT'],
      ['under_load', 'INTEGER'],
      ['worker', 'TEXT'],
      ['secondary_json', 'TEXT'],
    ]) {
      if (!present.has(column as string)) writer.exec(`ALTER TABLE trials ADD COLUMN ${column} ${type}`);
    }
    writer.exec(
      `UPDATE trials SET proposer = 'optuna:tpe', under_load = 1, worker = 'local slot 2', secondary_json = '{"tok_per_s":1}' WHERE idx = 3;`,
    );
    const reader = openDatabaseReadOnly(dir);
    const page = trialPage(reader, 'r1', { offset: 0, limit: 2, order: 'desc', statuses: [] });
    expect(page.rows[0]).toMatchObject({ index: 5, proposer: 'random', underLoad: null });
    const three = trialPage(reader, 'r1', { offset: 2, limit: 1, order: 'desc', statuses: [] }).rows[0];
    expect(three).toMatchObject({ index: 3, proposer: 'optuna:tpe', underLoad: true, worker: 'local slot 2' });
    expect(trialPoints(reader, 'r1')[3]).toMatchObject({ index: 3, underLoad: true });
    expect(trialWhole(reader, 'r1', 3)?.extra).toEqual({ secondary_json: '{"tok_per_s":1}' });
    reader.close();
  });

  it('lists trials in flight where the database records them, and none where it does not', () => {
    const { writer } = recorded(2);
    expect(trialsInFlight(writer, 'r1')).toEqual([]);
    const insert = writer.prepare(
      `INSERT INTO pending_trials (run_id, idx, slot, worker, parent, parent_commit, proposal_json, values_json,
        changed_json, attempts_json, started_at) VALUES ('r1', ?, ?, ?, 0, 'c0', '{}', '{}', '[]', '[]', ?)`,
    );
    insert.run(4, 1, 'local slot 1', '2026-12-01T00:00:02Z');
    insert.run(3, 0, 'local slot 0', '2026-12-01T00:00:01Z');
    expect(trialsInFlight(writer, 'r1')).toEqual([
      { index: 3, worker: 'local slot 0', startedAt: '2026-12-01T00:00:01Z' },
      { index: 4, worker: 'local slot 1', startedAt: '2026-12-01T00:00:02Z' },
    ]);
    // A state dir from before parallel trials has no such table: none in flight, not an error.
    writer.exec('DROP TABLE pending_trials');
    expect(trialsInFlight(writer, 'r1')).toEqual([]);
  });
});
