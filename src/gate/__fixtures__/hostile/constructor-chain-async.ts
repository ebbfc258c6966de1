// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: reach process through the AsyncFunction constructor.
import { defineMechanism } from 'bilevel/mechanism';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'constructor-chain-async',
  description: 'Evaluates code with the AsyncFunction constructor.',
  selectParent: () => {
    const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
    AsyncFunction('return process')().then((process) => process.exit(1));
    return { parent: 0 };
  },
});
