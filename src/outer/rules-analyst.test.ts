import { describe, expect, it } from 'vitest';
import { buildRandomSearchTrace, fixtureParams } from '../../test/fixtures/random-search-trace.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { SearchSettings } from '../records/search-settings.js';
import { freezeSnapshot, type SettingsSnapshot } from '../records/settings-snapshot.js';
import type { TrialStatus } from '../records/trial-record.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import type { AnalystInput } from './analyst.js';
import { buildParamTable } from './param-table.js';
import { createRulesAnalyst } from './rules-analyst.js';

const fiveParams: ParamSpec[] = ['A', 'B', 'C', 'D', 'E'].map((name) => ({
  name,
  type: 'number' as const,
  min: 0,
  max: 10,
  integer: false,
  scale: 'linear' as const,
}));

const none: SearchSettings = { frozen: [], strategy: 'balanced', guidance: '' };

/** A trace from [status, changed param, before, after] rows; trial 0 is the baseline; every keep is the next parent. */
function trace(rows: [TrialStatus, string, number, number][]): TrialRecordView[] {
  const trials: TrialRecordView[] = [
    { index: 0, status: 'keep', metric: 10, values: {}, changed: {}, summary: 'baseline', reason: '', parent: 0 },
  ];
  let parent = 0;
  let best = 10;
  for (const [status, name, before, after] of rows) {
    if (status === 'keep') best -= 1;
    const changed: Record<string, [ParamValue, ParamValue]> = { [name]: [before, after] };
    trials.push({
      index: trials.length,
      status,
      metric: status === 'keep' ? best : status === 'discard' ? best + 0.5 : null,
      values: {},
      changed,
      summary: `${name} ${before} -> ${after}`,
      reason: '',
      parent,
    });
    if (status === 'keep') parent = trials.length - 1;
  }
  return trials;
}

function input(history: readonly TrialRecordView[], extra: Partial<AnalystInput> = {}): AnalystInput {
  return {
    cycle: 1,
    trialIndex: history.at(-1)?.index ?? 0,
    params: fiveParams,
    settings: none,
    history,
    direction: 'minimize',
    metricName: 'loss',
    ...extra,
  };
}

function snapshot(cycle: number, afterTrial: number, frozen: string[]): SettingsSnapshot {
  return freezeSnapshot({
    cycle,
    afterTrial,
    settings: { ...none, frozen },
    analyst: 'rules',
    rationale: '',
    changes: [],
    ok: true,
  });
}

describe('rules analyst on a 40-trial random-search fixture trace', () => {
  it('freezes at least one param for every one of 10 seeds, each moved ≥ 4 times since its last keep', async () => {
    const analyst = createRulesAnalyst();
    for (let seed = 1; seed <= 10; seed += 1) {
      const history = buildRandomSearchTrace(seed, 40);
      const result = await analyst.analyze(input(history, { params: fixtureParams, trialIndex: 40, cycle: 8 }));
      expect(result.ok).toBe(true);
      expect(result.settings.frozen.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(fixtureParams.length - result.settings.frozen.length).toBeGreaterThanOrEqual(3);
      const rows = buildParamTable(fixtureParams, history, 'minimize');
      for (const name of result.settings.frozen) {
        const row = rows.find((candidate) => candidate.name === name);
        const [since] = buildParamTable(
          fixtureParams.filter((param) => param.name === name),
          history,
          'minimize',
          { after: row?.lastKept ?? 0 },
        );
        expect(since?.moved, `${name} on seed ${seed}`).toBeGreaterThanOrEqual(4);
        expect(since?.kept).toBe(0);
      }
    }
  });

  it('explains each freeze in the changes (seed 1)', async () => {
    const history = buildRandomSearchTrace(1, 40);
    const result = await createRulesAnalyst().analyze(input(history, { params: fixtureParams, trialIndex: 40 }));
    expect(result.settings.frozen).toEqual(['WEIGHT_DECAY', 'TOTAL_BATCH_SIZE', 'ADAM_BETA2']);
    expect(result.changes).toContain('froze WEIGHT_DECAY: 7 proposals moved it, none kept');
    expect(result.settings.strategy).toBe('exploit');
    expect(result.settings.guidance).toContain('ACTIVATION were kept 3 times');
  });
});

describe('rules analyst decisions', () => {
  const fruitlessB = trace([
    ['keep', 'A', 1, 2],
    ['discard', 'B', 1, 2],
    ['discard', 'B', 1, 3],
    ['discard', 'B', 1, 4],
    ['discard', 'C', 1, 4],
    ['discard', 'B', 1, 5],
  ]);

  it('freezes a param after freezeAfter moves without a keep, and not before', async () => {
    const analyst = createRulesAnalyst();
    const early = await analyst.analyze(input(fruitlessB.slice(0, 6)));
    expect(early.settings.frozen).toEqual([]);
    const result = await analyst.analyze(input(fruitlessB));
    expect(result.settings.frozen).toEqual(['B']);
    expect(result.changes).toContain('froze B: 4 proposals moved it, none kept');
  });

  it('returns a new deep-frozen settings object and leaves the input alone', async () => {
    const settings: SearchSettings = { frozen: [], strategy: 'balanced', guidance: '' };
    const result = await createRulesAnalyst().analyze(input(fruitlessB, { settings }));
    expect(result.settings).not.toBe(settings);
    expect(settings.frozen).toEqual([]);
    expect(Object.isFrozen(result.settings)).toBe(true);
    expect(Object.isFrozen(result.settings.frozen)).toBe(true);
    expect(() => result.settings.frozen.push('A')).toThrow(TypeError);
  });

  it('is deterministic', async () => {
    const history = buildRandomSearchTrace(7, 40);
    const first = await createRulesAnalyst().analyze(input(history, { params: fixtureParams }));
    const second = await createRulesAnalyst().analyze(input(history, { params: fixtureParams }));
    expect(second).toEqual(first);
  });

  it('unfreezes when a trial was kept after the freeze (the search moved)', async () => {
    const history = trace([
      ['discard', 'B', 1, 2],
      ['discard', 'B', 1, 3],
      ['discard', 'B', 1, 4],
      ['discard', 'B', 1, 5],
      ['discard', 'A', 1, 2],
      ['keep', 'A', 1, 3],
    ]);
    const previous = [snapshot(1, 5, ['B'])];
    const result = await createRulesAnalyst().analyze(input(history, { settings: previous[0]?.settings, previous }));
    expect(result.settings.frozen).toEqual([]);
    expect(result.changes[0]).toMatch(/^unfroze B: trial 6 was kept after it was frozen \(after trial 5\)/);
  });

  it('keeps a freeze while nothing was kept, and does not refreeze right after an unfreeze', async () => {
    const rows: [TrialStatus, string, number, number][] = [
      ['discard', 'B', 1, 2],
      ['discard', 'B', 1, 3],
      ['discard', 'B', 1, 4],
      ['discard', 'B', 1, 5],
      ['discard', 'A', 1, 2],
      ['discard', 'C', 1, 2],
    ];
    const held = await createRulesAnalyst().analyze(
      input(trace(rows), { settings: { ...none, frozen: ['B'] }, previous: [snapshot(1, 4, ['B'])] }),
    );
    expect(held.settings.frozen).toEqual(['B']);
    // B was unfrozen after trial 6; two more fruitless moves are not enough to freeze it again.
    const later = trace([...rows, ['discard', 'B', 1, 6], ['discard', 'B', 1, 7]]);
    const previous = [snapshot(1, 4, ['B']), snapshot(2, 6, [])];
    const result = await createRulesAnalyst().analyze(input(later, { previous }));
    expect(result.settings.frozen).toEqual([]);
  });

  it('unfreezes after unfreezeAfterTrials', async () => {
    const rows: [TrialStatus, string, number, number][] = [];
    for (let step = 0; step < 4; step += 1) rows.push(['discard', 'B', 1, step + 2]);
    for (let step = 0; step < 10; step += 1) rows.push(['discard', step % 2 === 0 ? 'A' : 'C', 1, step + 2]);
    const history = trace(rows);
    const analyst = createRulesAnalyst({ unfreezeAfterTrials: 10, freezeAfter: 6 });
    const result = await analyst.analyze(
      input(history, { settings: { ...none, frozen: ['B'] }, previous: [snapshot(1, 4, ['B'])] }),
    );
    expect(result.changes).toContain('unfroze B: frozen for 10 trials');
    expect(result.settings.frozen).not.toContain('B');
  });

  it('never leaves fewer than minActive params active: the oldest freeze goes first', async () => {
    const rows: [TrialStatus, string, number, number][] = [];
    for (const name of ['A', 'B', 'C'])
      for (let step = 0; step < 4; step += 1) rows.push(['discard', name, 1, step + 2]);
    const history = trace(rows);
    const previous = [snapshot(1, 4, ['A']), snapshot(2, 8, ['A', 'B'])];
    const result = await createRulesAnalyst({ minActive: 3 }).analyze(
      input(history, { settings: previous[1]?.settings, previous }),
    );
    expect(result.settings.frozen).toEqual(['B', 'C']);
    expect(result.changes).toContain('unfroze A: the oldest freeze (after trial 4), to keep 3 params active');
    expect(result.changes).toContain('froze C: 4 proposals moved it, none kept');
  });

  it('does not freeze anything when the task has no more than minActive params', async () => {
    const result = await createRulesAnalyst({ minActive: 5 }).analyze(input(fruitlessB));
    expect(result.settings.frozen).toEqual([]);
    expect(result.changes).toContain('did not freeze B (4 moves, none kept): 5 params must stay active');
  });

  it('drops frozen names that are not params of the task', async () => {
    const result = await createRulesAnalyst().analyze(input(fruitlessB, { settings: { ...none, frozen: ['NOPE'] } }));
    expect(result.settings.frozen).toEqual(['B']);
    expect(result.changes).toContain('dropped NOPE from the frozen list: not a param of this task');
  });

  it('exploits after recent keeps, explores after a plateau, balances in between', async () => {
    const analyst = createRulesAnalyst({ recentTrials: 5, plateauTrials: 10 });
    const kept = await analyst.analyze(input(trace([['keep', 'A', 1, 2]])));
    expect(kept.settings.strategy).toBe('exploit');
    const middle = await analyst.analyze(input(fruitlessB));
    expect(middle.settings.strategy).toBe('balanced');
    const rows: [TrialStatus, string, number, number][] = [['keep', 'A', 1, 2]];
    for (let step = 0; step < 10; step += 1) rows.push(['discard', ['B', 'C', 'D'][step % 3] ?? 'B', 1, step + 3]);
    const plateau = await analyst.analyze(input(trace(rows)));
    expect(plateau.settings.strategy).toBe('explore');
    expect(plateau.changes).toContain('strategy balanced → explore: no keep in the last 10 trials');
  });

  it('sums up what was kept in the guidance', async () => {
    const history = trace([
      ['keep', 'A', 8, 4],
      ['discard', 'B', 1, 2],
      ['keep', 'A', 4, 2],
      ['crash', 'C', 1, 9],
      ['crash', 'C', 1, 8],
    ]);
    const result = await createRulesAnalyst().analyze(input(history));
    expect(result.settings.guidance).toContain('moves of A downward were kept twice');
    expect(result.settings.guidance).toContain('C (2 of 2 moves)');
    expect(result.settings.guidance.length).toBeLessThanOrEqual(600);
  });
});
