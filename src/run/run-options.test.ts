import { describe, expect, it } from 'vitest';
import { runSettings } from '../records/run-settings.js';
import { parseLevels, parseLlmRole, parseMechanismParam } from '../records/setting-parsers.js';
import { loadTask } from '../task/load-task.js';
import { runConfigFrom } from './run-options.js';

/** Folds a repeatable flag's entries as commander does. */
function fold<T>(parse: (text: string, previous: T | undefined) => T, entries: readonly string[]): T | undefined {
  return entries.reduce<T | undefined>((previous, entry) => parse(entry, previous), undefined);
}

describe('run options: levels', () => {
  it('accepts every group of the study, level 2 included', () => {
    expect(parseLevels('1')).toEqual(['1']);
    expect(parseLevels('1,1.5')).toEqual(['1', '1.5']);
    expect(parseLevels('1,2')).toEqual(['1', '2']);
    expect(parseLevels('1, 1.5, 2')).toEqual(['1', '1.5', '2']);
    expect(() => parseLevels('2')).toThrow(/must include 1/);
    expect(() => parseLevels('1,3')).toThrow(/unknown level "3"/);
  });

  it('defaults to 1,1.5,2 with an LLM and to 1 with the random proposer; Level 2 settings are stored', async () => {
    const task = await loadTask('synthetic');
    const flags = { task: 'synthetic', trials: 5, seed: 0, noiseThreshold: 0 };
    const withLlm = runConfigFrom({ ...flags, llm: { default: 'openai:some-model' } }, task, undefined);
    expect(withLlm.levels).toEqual(['1', '1.5', '2']);
    expect(withLlm).toMatchObject({ metaEvery: 2, metaPlateau: 10, probationWindow: 10, repairAttempts: 2 });
    expect(runConfigFrom({ ...flags, proposer: 'random' }, task, undefined).levels).toEqual(['1']);
  });
});

describe('parseMechanismParams', () => {
  it('types numbers and booleans, keeps strings, and groups by mechanism', () => {
    expect(
      fold(parseMechanismParam, [
        'plateau-restart.patience=8',
        'plateau-restart.from=last',
        'tabu.tenure=4',
        'x.flag=true',
      ]),
    ).toEqual({ 'plateau-restart': { patience: 8, from: 'last' }, tabu: { tenure: 4 }, x: { flag: true } });
  });

  it('refuses an entry that is not name.param=value, saying what to write', () => {
    expect(() => fold(parseMechanismParam, ['patience=8'])).toThrow(/not name.param=value/);
  });
});

describe('run options: level settings', () => {
  it('keeps K, M, the plateau, the probation window and repair attempts, and checks them at the flag', async () => {
    const task = await loadTask('synthetic');
    const flags = { task: 'synthetic', trials: 5, seed: 0, noiseThreshold: 0, proposer: 'random' as const };
    const config = runConfigFrom(
      { ...flags, outerEvery: 3, metaEvery: 4, metaPlateau: 7, probationWindow: 6, repairAttempts: 0 },
      task,
      undefined,
    );
    expect(config).toMatchObject({
      outerEvery: 3,
      metaEvery: 4,
      metaPlateau: 7,
      probationWindow: 6,
      repairAttempts: 0,
    });
    expect(() => runSettings.outerEvery.parse?.('0', undefined)).toThrow(/--outer-every must be at least 1/);
    expect(() => runConfigFrom({ ...flags, outerEvery: 0 }, task, undefined)).toThrow();
  });
});

describe('run options: a model per role', () => {
  const flags = { task: 'synthetic', trials: 5, seed: 0, noiseThreshold: 0 };

  it('gives the named roles their own model and leaves the others on --llm', async () => {
    const task = await loadTask('synthetic');
    const roles = fold(parseLlmRole, ['research=anthropic:big', 'fix=deepseek:coder']) ?? {};
    const config = runConfigFrom({ ...flags, llm: { default: 'openai:small', roles } }, task, undefined);
    expect(config.llm).toMatchObject({
      default: 'openai:small',
      roles: { research: 'anthropic:big', fix: 'deepseek:coder' },
    });
  });

  it('refuses an unknown role, a role given twice, and roles without --llm, saying what to pass', async () => {
    const task = await loadTask('synthetic');
    expect(() => fold(parseLlmRole, ['judge=openai:x'])).toThrow(/known role/);
    expect(() => fold(parseLlmRole, ['research'])).toThrow(/ROLE=PROVIDER:MODEL/);
    expect(() => fold(parseLlmRole, ['fix=openai:a', 'fix=openai:b'])).toThrow(/two models/);
    expect(() =>
      runConfigFrom({ ...flags, proposer: 'random', llm: { roles: { analyze: 'openai:x' } } }, task, undefined),
    ).toThrow(/needs a model for the other roles/);
  });
});
