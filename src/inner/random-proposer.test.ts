import { describe, expect, it } from 'vitest';
import { defaultSearchSettings } from '../records/search-settings.js';
import type { ParamSpec } from '../task/task-definition.js';
import type { ProposalContext } from './proposer.js';
import { createRandomProposer } from './random-proposer.js';

const params: ParamSpec[] = [
  { name: 'LR', type: 'number', min: 1e-4, max: 1e-1, integer: false, scale: 'log' },
  { name: 'DEPTH', type: 'number', min: 2, max: 16, integer: true, scale: 'linear' },
  { name: 'PATTERN', type: 'choice', choices: ['SSSL', 'LLLL', 'SLSL'] },
];

function context(overrides: Partial<ProposalContext> = {}): ProposalContext {
  return {
    task: { name: 't', description: 'd', metric: { name: 'val_bpb', direction: 'minimize' }, mode: 'params' },
    params,
    current: { LR: 0.01, DEPTH: 8, PATTERN: 'SSSL' },
    files: {},
    incumbentMetric: 1.1,
    history: [],
    trialCount: 1,
    pending: [],
    settings: defaultSearchSettings,
    guidance: [],
    focus: [],
    avoid: [],
    trialIndex: 1,
    attempt: 0,
    seed: 42,
    ...overrides,
  };
}

describe('random proposer', () => {
  it('is deterministic for a seed and varies across seeds', async () => {
    const proposer = createRandomProposer();
    const first = await proposer.propose(context());
    const again = await proposer.propose(context());
    expect(again).toEqual(first);
    const others = await Promise.all([1, 2, 3, 4, 5].map((seed) => proposer.propose(context({ seed }))));
    expect(new Set(others.map((result) => JSON.stringify(result))).size).toBeGreaterThan(1);
  });

  it('proposes only valid, changed values within the ranges', async () => {
    const proposer = createRandomProposer();
    for (let seed = 0; seed < 200; seed++) {
      const result = await proposer.propose(context({ seed }));
      if (!result.ok || result.proposal.kind !== 'params') throw new Error('expected a params proposal');
      for (const [name, value] of Object.entries(result.proposal.values)) {
        const spec = params.find((candidate) => candidate.name === name)!;
        expect(value).not.toBe(context().current[name]);
        if (spec.type === 'number') {
          expect(value).toBeGreaterThanOrEqual(spec.min);
          expect(value).toBeLessThanOrEqual(spec.max);
          if (spec.integer) expect(Number.isInteger(value)).toBe(true);
        } else {
          expect(spec.choices).toContain(value);
        }
      }
    }
  });

  it('respects frozen params and focus', async () => {
    const proposer = createRandomProposer();
    for (let seed = 0; seed < 50; seed++) {
      const frozen = await proposer.propose(
        context({ seed, settings: { ...defaultSearchSettings, frozen: ['LR', 'DEPTH'] } }),
      );
      if (!frozen.ok || frozen.proposal.kind !== 'params') throw new Error('expected a proposal');
      expect(Object.keys(frozen.proposal.values)).toEqual(['PATTERN']);
      const focused = await proposer.propose(context({ seed, focus: ['DEPTH'] }));
      if (!focused.ok || focused.proposal.kind !== 'params') throw new Error('expected a proposal');
      expect(Object.keys(focused.proposal.values)).toEqual(['DEPTH']);
    }
  });

  it('says why when nothing may move', async () => {
    const result = await createRandomProposer().propose(
      context({ settings: { ...defaultSearchSettings, frozen: ['LR', 'DEPTH', 'PATTERN'] } }),
    );
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('frozen') });
  });

  it('draws again when its draw would repeat a trial running now (several workers), the same way on a resume', async () => {
    const proposer = createRandomProposer();
    const first = await proposer.propose(context());
    if (!first.ok || first.proposal.kind !== 'params') throw new Error('expected a params proposal');
    const running = { ...context().current, ...first.proposal.values };
    const pending = [{ index: 3, values: running, changed: {}, summary: 'running', parent: 0 }];
    const second = await proposer.propose(context({ pending }));
    if (!second.ok || second.proposal.kind !== 'params') throw new Error('expected a params proposal');
    expect({ ...context().current, ...second.proposal.values }).not.toEqual(running);
    expect(await proposer.propose(context({ pending }))).toEqual(second);
  });
});
