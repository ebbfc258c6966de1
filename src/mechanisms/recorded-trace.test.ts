import { describe, expect, it } from 'vitest';
import { BilevelError } from '../core/errors.js';
import { loadFixtureTrace } from './__fixtures__/load-trace.js';
import { parseRecordedTrace, toTrialRecordView } from './recorded-trace.js';
import { makeSyntheticTrace, syntheticScenarios } from './synthetic-trace.js';

describe('recorded traces', () => {
  it.each(syntheticScenarios)('fixture %s parses and matches what make-traces.ts generates', (scenario) => {
    const fixture = loadFixtureTrace(scenario);
    expect(fixture).toEqual(makeSyntheticTrace(scenario));
    expect(fixture.trials[0]?.index).toBe(0);
  });

  it('the fixtures contain what the built-in tests rely on', () => {
    const repeats = loadFixtureTrace('repeats');
    const moves = repeats.trials.map((trial) => JSON.stringify(trial.changed));
    expect(new Set(moves).size).toBeLessThan(moves.length);
    const plateau = loadFixtureTrace('plateau');
    const tail = plateau.trials.slice(-12);
    expect(tail.every((trial) => trial.status === 'discard')).toBe(true);
    const crashes = loadFixtureTrace('crash-streak').trials.filter((trial) => trial.status === 'crash');
    expect(crashes.length).toBeGreaterThanOrEqual(4);
  });

  it('rejects a trace whose trials are out of order, as STATE_CORRUPT', () => {
    const trace = makeSyntheticTrace('repeats');
    const shuffled = { ...trace, trials: [trace.trials[1], trace.trials[0], ...trace.trials.slice(2)] };
    expect(() => parseRecordedTrace(shuffled)).toThrow(/position 0 has index 1/);
    try {
      parseRecordedTrace({ ...trace, version: 'trace-v0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BilevelError);
      expect((error as BilevelError).code).toBe('STATE_CORRUPT');
    }
  });

  it('toTrialRecordView drops the recorder fields mechanisms must not see', () => {
    const trial = makeSyntheticTrace('repeats').trials[1];
    if (!trial) throw new Error('fixture has no trial 1');
    const view = toTrialRecordView(trial);
    expect(Object.keys(view).sort()).toEqual([
      'changed',
      'index',
      'metric',
      'parent',
      'reason',
      'status',
      'summary',
      'values',
    ]);
  });
});
