// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: throw in every hook (and in init), including values that are not Errors.
import { defineMechanism } from 'bilevel/mechanism';

const fail = (hook: string): never => {
  throw new Error(hook + ' always fails');
};

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'throws-everywhere',
  description: 'Fails in every hook.',
  init: () => fail('init'),
  selectParent: () => fail('selectParent'),
  transformPrompt: () => fail('transformPrompt'),
  screenProposal: () => fail('screenProposal'),
  judgeOutcome: () => {
    throw { get message(): string { return 'a thrown object with a getter'; } };
  },
  shouldStop: () => {
    throw 'a bare string';
  },
  onTrialEnd: () => fail('onTrialEnd'),
  onRunEnd: () => fail('onRunEnd'),
});
