import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunSettingOptions, readRunSettings } from './setting-options.js';

function command(name: 'run' | 'resume' | 'ablate', argv: string[]) {
  const program = new Command(name).exitOverride();
  addRunSettingOptions(program, name);
  program.parse(argv, { from: 'user' });
  return program;
}

describe('run settings as commander options', () => {
  it('parses flags with the table, fills the defaults, and keys the values as the run config does', () => {
    const run = command('run', [
      '--trials',
      '7',
      '--noise-threshold',
      '0.5',
      '--llm',
      'openai:x',
      '--max-llm-calls',
      '3',
    ]);
    const values = readRunSettings(run, 'run');
    expect(values).toMatchObject({ trials: 7, noiseThreshold: 0.5, outerEvery: 5, seed: 0, task: 'tinygpt' });
    expect(values.llm).toEqual({ default: 'openai:x', maxCalls: 3 });
    expect(values.budgetSeconds).toBeUndefined();
  });

  it('folds repeatable flags', () => {
    const run = command('run', ['--mechanism-param', 'tabu.tenure=4', '--mechanism-param', 'tabu.span=2']);
    expect(readRunSettings(run, 'run').mechanismConfigs).toEqual({ tabu: { tenure: 4, span: 2 } });
  });

  it('on resume, gives no defaults: an absent flag leaves the stored value alone', () => {
    expect(readRunSettings(command('resume', []), 'resume')).toEqual({});
    expect(readRunSettings(command('resume', ['--llm-patience', '60']), 'resume')).toEqual({
      llm: { patienceSeconds: 60 },
    });
  });

  it('shows every default in --help, and marks what a command requires', () => {
    const run = new Command('run');
    addRunSettingOptions(run, 'run');
    const help = run.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('--trials <n> trials after the baseline (default: 20)');
    expect(help).toContain('(default: 1,1.5,2 with the llm proposer, 1 with --proposer random)');
    expect(help).toMatch(/--proposer <spec> .*\(default: llm/);
    expect(help).toContain("--budget <seconds> training budget per trial (default: the task's)");
    const ablate = new Command('ablate');
    addRunSettingOptions(ablate, 'ablate');
    const ablateHelp = ablate.helpInformation().replace(/\s+/g, ' ');
    expect(ablateHelp).toContain('--task <name|dir> built-in task name or task folder (required)');
    expect(ablateHelp).toContain('(default: 30)');
    expect(() => command('ablate', [])).toThrow(/--task/);
  });
});
