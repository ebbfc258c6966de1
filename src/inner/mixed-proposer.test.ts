import { describe, expect, it } from 'vitest';
import { parseProposerSpec } from '../records/proposer-spec.js';
import { createMixedProposer, mixArmFor } from './mixed-proposer.js';
import type { ProposalContext, Proposer } from './proposer.js';

const plan = parseProposerSpec('mix:llm=0.3,optuna:cmaes=0.7');

function fake(name: string): Proposer & { calls: number[] } {
  const calls: number[] = [];
  return {
    specificationVersion: 'proposer-v1',
    name,
    calls,
    async propose(context) {
      calls.push(context.trialIndex);
      return { ok: true, proposal: { kind: 'params', values: { X: context.trialIndex }, summary: name } };
    },
  };
}

describe('the mixed proposer', () => {
  it('draws each trial’s arm from the run seed and the trial index alone, with the weights as shares', () => {
    const arms = Array.from({ length: 2000 }, (_, index) => mixArmFor(plan, 11, index + 1));
    const llm = arms.filter((arm) => arm === 'llm').length;
    // Binomial(2000, 0.3): mean 600, sd 20.5; ±4 sd.
    expect(llm).toBeGreaterThan(518);
    expect(llm).toBeLessThan(682);
    expect(mixArmFor(plan, 11, 7)).toBe(arms[6]);
    const otherSeed = Array.from({ length: 50 }, (_, index) => mixArmFor(plan, 12, index + 1));
    expect(otherSeed).not.toEqual(arms.slice(0, 50));
  });

  it('asks the trial’s arm, every attempt of a trial the same one, and says which arm answered', async () => {
    const llm = fake('llm');
    const cmaes = fake('optuna:cmaes');
    const mixed = createMixedProposer(
      plan,
      new Map<'llm' | 'optuna:cmaes', Proposer>([
        ['llm', llm],
        ['optuna:cmaes', cmaes],
      ]),
      11,
    );
    const context = (trialIndex: number, attempt = 0) => ({ trialIndex, attempt }) as unknown as ProposalContext;
    for (let index = 1; index <= 20; index++) {
      const result = await mixed.propose(context(index));
      expect(result.by).toBe(mixArmFor(plan, 11, index));
      expect(await mixed.propose(context(index, 1))).toMatchObject({ by: result.by });
    }
    expect(llm.calls.length + cmaes.calls.length).toBe(40);
    expect(llm.calls.every((index) => mixArmFor(plan, 11, index) === 'llm')).toBe(true);
  });
});
