import { describe, expect, it } from 'vitest';
import { runConfigSchema } from './run-config.js';
import { allSettings, groupSettings, llmSettings, runSettings, settingDefault } from './run-settings.js';

describe('the run settings table', () => {
  it('gives every flag one row, with a parser, help and the commands that take it', () => {
    const flagged = allSettings().filter(({ row }) => row.flag !== undefined);
    const longs = flagged.map(({ row }) => row.flag?.split(' ')[0]);
    expect(new Set(longs).size).toBe(longs.length);
    for (const { path, row } of flagged) {
      // A flag that takes a value has a parser; a bare one (`--trial-network`) is a switch.
      if (row.flag?.includes('<')) expect(row.parse, path.join('.')).toBeTypeOf('function');
      else expect(row.schema.parse(undefined), path.join('.')).toBe(false);
      expect(row.help, path.join('.')).toBeTruthy();
      expect(row.commands?.length, path.join('.')).toBeGreaterThan(0);
    }
    expect(longs).toContain('--noise-threshold');
    expect(longs.filter((flag) => flag === '--noise-threshold')).toHaveLength(1);
  });

  it('builds the config schema: one field per row, its default filled in for configs written before it existed', () => {
    expect(Object.keys(runConfigSchema.shape).sort()).toEqual([...Object.keys(runSettings), 'llm'].sort());
    const written = {
      task: 'synthetic',
      taskDir: '/tasks/synthetic',
      levels: ['1', '2'],
      proposer: 'random',
      trials: 10,
      budgetSeconds: 5,
      timeoutSeconds: 30,
      mode: 'params',
      seed: 1,
    };
    expect(runConfigSchema.parse(written)).toMatchObject({
      mechanisms: [],
      outerEvery: 5,
      noiseThreshold: 0,
      metaEvery: 2,
      metaPlateau: 10,
      probationWindow: 10,
      repairAttempts: 2,
      historyLimit: 200,
      proposalAttempts: 2,
      fixAttempts: 1,
    });
    expect(runConfigSchema.parse({ ...written, llm: { default: 'openai:x' } }).llm).toEqual({
      default: 'openai:x',
      roles: {},
    });
  });

  it('parses each flag with its row and refuses bad text naming the flag', () => {
    expect(runSettings.noiseThreshold.parse?.('0.01', undefined)).toBe(0.01);
    expect(() => runSettings.noiseThreshold.parse?.('-1', undefined)).toThrow(/--noise-threshold must be 0 or more/);
    expect(() => runSettings.trials.parse?.('many', undefined)).toThrow(/--trials expects a number/);
    expect(runSettings.levels.parse?.('1,2', undefined)).toEqual(['1', '2']);
    expect(llmSettings.maxCalls.parse?.('4', undefined)).toBe(4);
    expect(() => runSettings.mode.parse?.('both', undefined)).toThrow(/--mode must be params or code/);
    expect(runSettings.proposer.parse?.('mix: llm=0.3, optuna:cmaes=0.7', undefined)).toBe(
      'mix:llm=0.3,optuna:cmaes=0.7',
    );
    expect(() => runSettings.proposer.parse?.('optuna:smac', undefined)).toThrow(
      /--proposer: unknown proposer "optuna:smac"/,
    );
  });

  it('has per-command defaults where the commands differ, and lists what a group may set', () => {
    expect(settingDefault(runSettings.trials, 'run')).toBe(20);
    expect(settingDefault(runSettings.trials, 'ablate')).toBe(30);
    expect(settingDefault(runSettings.outerEvery, 'run')).toBe(5);
    expect(settingDefault(runSettings.budgetSeconds, 'run')).toBeUndefined();
    expect(Object.keys(groupSettings)).toEqual([
      'levels',
      'proposer',
      'mechanisms',
      'outerEvery',
      'noiseThreshold',
      'metaEvery',
      'metaPlateau',
      'probationWindow',
    ]);
  });
});
