import { describe, expect, it } from 'vitest';
import { createRandomSearch, fixtureParams } from '../../test/fixtures/random-search-trace.js';
import { BilevelError } from '../core/errors.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { Analyst, AnalystInput, AnalystResult } from './analyst.js';
import { createOuterLoop, type OuterCycleInput } from './outer-loop.js';
import { createRulesAnalyst } from './rules-analyst.js';

/** A scripted analyst (no LLM involved): returns the given results in turn and records its inputs. */
function scriptedAnalyst(results: AnalystResult[]): Analyst & { inputs: AnalystInput[] } {
  const inputs: AnalystInput[] = [];
  return {
    specificationVersion: 'analyst-v1',
    name: 'rules',
    inputs,
    async analyze(input) {
      inputs.push(input);
      const next = results.shift();
      if (next === undefined) throw new Error('no scripted result left');
      return next;
    },
  };
}

const cycleInput = (trialIndex: number): OuterCycleInput => ({
  trialIndex,
  params: fixtureParams,
  history: [],
  direction: 'minimize',
  metricName: 'val_bpb',
});

const settingsOf = (frozen: string[], strategy: SearchSettings['strategy'] = 'balanced'): SearchSettings => ({
  frozen,
  strategy,
  guidance: '',
});

describe('createOuterLoop', () => {
  it('is due after every K-th trial, once', async () => {
    const loop = createOuterLoop({
      analyst: scriptedAnalyst([{ settings: settingsOf([]), rationale: '', changes: [], ok: true }]),
      everyTrials: 5,
    });
    expect([0, 1, 4, 5, 6, 10].map((index) => loop.isDue(index))).toEqual([false, false, false, true, false, true]);
    await loop.runCycle(cycleInput(5));
    expect(loop.isDue(5)).toBe(false);
    expect(loop.isDue(10)).toBe(true);
    await expect(loop.runCycle(cycleInput(5))).rejects.toThrow(/already ran after trial 5/);
  });

  it('rejects a K that is not a positive whole number', () => {
    expect(() => createOuterLoop({ analyst: scriptedAnalyst([]), everyTrials: 0 })).toThrow(BilevelError);
  });

  it('stores immutable snapshots: mutation throws and earlier snapshots never change', async () => {
    const returned = settingsOf(['WEIGHT_DECAY'], 'exploit');
    const analyst = scriptedAnalyst([
      { settings: returned, rationale: 'first', changes: ['froze WEIGHT_DECAY'], ok: true },
      { settings: settingsOf(['DEPTH', 'ADAM_BETA2'], 'explore'), rationale: 'second', changes: [], ok: true },
    ]);
    const loop = createOuterLoop({ analyst, everyTrials: 5 });
    const first = await loop.runCycle(cycleInput(5));
    const firstCopy = structuredClone(first);
    // The analyst's own object is copied: changing it later does not reach the snapshot.
    returned.frozen.push('DEPTH');
    expect(first.settings.frozen).toEqual(['WEIGHT_DECAY']);
    expect(() => {
      (first as { cycle: number }).cycle = 9;
    }).toThrow(TypeError);
    expect(() => (first.settings.frozen as string[]).push('LEARNING_RATE')).toThrow(TypeError);
    expect(() => {
      (first.settings as SearchSettings).strategy = 'explore';
    }).toThrow(TypeError);
    expect(() => (first.changes as string[]).push('x')).toThrow(TypeError);

    const second = await loop.runCycle(cycleInput(10));
    expect(second.cycle).toBe(2);
    expect(first).toEqual(firstCopy);
    expect(loop.snapshots()).toEqual([firstCopy, structuredClone(second)]);
    expect(loop.current()).toEqual(settingsOf(['DEPTH', 'ADAM_BETA2'], 'explore'));
    // The analyst saw the settings in effect and the earlier snapshots.
    expect(analyst.inputs[1]?.settings).toEqual(settingsOf(['WEIGHT_DECAY'], 'exploit'));
    expect(analyst.inputs[1]?.previous).toEqual([firstCopy]);
    expect(analyst.inputs[1]?.cycle).toBe(2);
  });

  it('keeps the previous settings when the analysis failed, and records why', async () => {
    const loop = createOuterLoop({
      analyst: scriptedAnalyst([
        { settings: settingsOf(['DEPTH']), rationale: '', changes: [], ok: true },
        {
          settings: settingsOf(['LEARNING_RATE']),
          rationale: '',
          changes: [],
          ok: false,
          error: 'reply did not parse',
        },
      ]),
    });
    await loop.runCycle(cycleInput(5));
    const failed = await loop.runCycle(cycleInput(10));
    expect(failed).toMatchObject({ ok: false, error: 'reply did not parse', settings: { frozen: ['DEPTH'] } });
    expect(loop.current().frozen).toEqual(['DEPTH']);
  });

  it('throws INTERNAL when an analyst returns params the task does not have', async () => {
    const loop = createOuterLoop({
      analyst: scriptedAnalyst([{ settings: settingsOf(['NOT_A_PARAM']), rationale: '', changes: [], ok: true }]),
    });
    await expect(loop.runCycle(cycleInput(5))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('continues from restored snapshots after a resume', async () => {
    const first = createOuterLoop({
      analyst: scriptedAnalyst([{ settings: settingsOf(['DEPTH']), rationale: '', changes: [], ok: true }]),
    });
    await first.runCycle(cycleInput(5));
    const resumed = createOuterLoop({
      analyst: scriptedAnalyst([{ settings: settingsOf([]), rationale: '', changes: [], ok: true }]),
      snapshots: structuredClone(first.snapshots()),
    });
    expect(resumed.current().frozen).toEqual(['DEPTH']);
    expect(resumed.isDue(5)).toBe(false);
    expect((await resumed.runCycle(cycleInput(10))).cycle).toBe(2);
  });

  it('refuses a malformed stored snapshot with STATE_CORRUPT', () => {
    const stored = { cycle: 1, afterTrial: 5, settings: { frozen: 'DEPTH', strategy: 'balanced', guidance: '' } };
    expect(() => createOuterLoop({ analyst: scriptedAnalyst([]), snapshots: [stored] })).toThrow(
      expect.objectContaining({ code: 'STATE_CORRUPT' }),
    );
  });

  it('with the rules analyst, freezes params during a 40-trial random search that then leaves them alone', async () => {
    for (const seed of [1, 2, 3]) {
      const search = createRandomSearch(seed);
      const loop = createOuterLoop({ analyst: createRulesAnalyst(), everyTrials: 5 });
      const frozenAt = new Map<number, readonly string[]>();
      for (let index = 1; index <= 40; index += 1) {
        frozenAt.set(index, loop.current().frozen);
        search.step(loop.current().frozen);
        if (loop.isDue(index)) {
          await loop.runCycle({
            trialIndex: index,
            params: fixtureParams,
            history: search.history,
            direction: 'minimize',
            metricName: 'val_bpb',
          });
        }
      }
      const snapshots = loop.snapshots();
      expect(snapshots.map((snapshot) => snapshot.afterTrial)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
      const freezes = snapshots.flatMap((snapshot) => snapshot.changes.filter((line) => line.startsWith('froze ')));
      expect(freezes.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const trial of search.history.slice(1)) {
        for (const name of frozenAt.get(trial.index) ?? []) expect(trial.changed[name]).toBeUndefined();
      }
    }
  });
});
