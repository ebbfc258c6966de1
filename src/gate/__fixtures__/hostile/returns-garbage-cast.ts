// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: return garbage behind casts that the type-check cannot see through: wrong shapes, a function, a cyclic
// object, a huge string, a Map, and a non-plain state.
import { defineMechanism } from 'bilevel/mechanism';

const garbage = (value: unknown): never => value as never;

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'returns-garbage-cast',
  description: 'Returns values that are not what the contract says.',
  selectParent: () => garbage({ parent: 'zero' }),
  transformPrompt: () => garbage(() => ({ guidance: [], focus: [], avoid: [] })),
  screenProposal: () => {
    const cyclic: Record<string, unknown> = { accept: false, reason: 'cyclic' };
    cyclic.self = cyclic;
    return garbage(cyclic);
  },
  judgeOutcome: () => ({ verdict: 'discard', reason: 'x'.repeat(5_000_000) }),
  shouldStop: () => garbage(new Map([['stop', true]])),
  onTrialEnd: () => garbage(new Set([1, 2, 3])),
});
