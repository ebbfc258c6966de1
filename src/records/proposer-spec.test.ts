import { describe, expect, it } from 'vitest';
import {
  describeProposerSpec,
  optunaSamplersOf,
  parseProposerSpec,
  proposerSpecSchema,
  proposerUsesLlm,
} from './proposer-spec.js';
import { runConfigSchema } from './run-config.js';

describe('the proposer spec', () => {
  it('parses one arm, or a mix with its weights normalized in the order given', () => {
    expect(parseProposerSpec('optuna:tpe')).toEqual({
      spec: 'optuna:tpe',
      arms: [{ arm: 'optuna:tpe', weight: 1 }],
      mixed: false,
    });
    const mix = parseProposerSpec('mix:llm=3,optuna:cmaes=7');
    expect(mix.arms.map((entry) => entry.arm)).toEqual(['llm', 'optuna:cmaes']);
    expect(mix.arms.map((entry) => entry.weight)).toEqual([0.3, 0.7]);
    expect(describeProposerSpec('mix:llm=0.3,optuna:cmaes=0.7')).toBe('llm 30%, optuna:cmaes 70%');
    expect(proposerUsesLlm('mix:llm=0.3,optuna:cmaes=0.7')).toBe(true);
    expect(proposerUsesLlm('optuna:random')).toBe(false);
    expect(optunaSamplersOf('mix:random=1,optuna:tpe=1,optuna:qmc=2')).toEqual(['tpe', 'qmc']);
  });

  it('refuses unknown arms, missing or non-positive weights and repeated arms, naming the flag', () => {
    expect(() => parseProposerSpec('bayes')).toThrow(/--proposer: unknown proposer "bayes"/);
    expect(() => parseProposerSpec('mix:llm,random=1')).toThrow(/"llm" needs a positive weight/);
    expect(() => parseProposerSpec('mix:llm=0,random=1')).toThrow(/needs a positive weight/);
    expect(() => parseProposerSpec('mix:llm=1,llm=2')).toThrow(/llm is listed twice/);
    expect(() => parseProposerSpec('mix:', 'group T')).toThrow(/^group T: "mix:" names no proposer/);
    expect(() => parseProposerSpec('mix:mix:llm=1')).toThrow(/unknown proposer/);
  });

  it('keeps stored runs readable: `llm` and `random` configs parse as before', () => {
    for (const proposer of ['llm', 'random']) expect(proposerSpecSchema.parse(proposer)).toBe(proposer);
    expect(proposerSpecSchema.safeParse('optuna:smac').success).toBe(false);
    const stored = {
      task: 'synthetic',
      taskDir: '/tasks/synthetic',
      levels: ['1'],
      proposer: 'random',
      trials: 3,
      budgetSeconds: 5,
      timeoutSeconds: 30,
      mode: 'params',
      seed: 0,
    };
    expect(runConfigSchema.parse(stored).proposer).toBe('random');
    expect(runConfigSchema.parse(stored).python).toBeUndefined();
  });
});
