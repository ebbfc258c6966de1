// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: return values of the wrong shape (caught by the type-check).
import { defineMechanism } from 'bilevel/mechanism';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'returns-garbage',
  description: 'Returns the wrong shapes.',
  selectParent: () => ({ parent: 'the best one' }),
  screenProposal: () => ({ accept: 'maybe' }),
  judgeOutcome: () => 'keep',
});
