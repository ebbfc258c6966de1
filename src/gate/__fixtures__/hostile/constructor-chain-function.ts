// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: reach process through a function's constructor (the Function constructor).
import { defineMechanism } from 'bilevel/mechanism';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'constructor-chain-function',
  description: 'Evaluates code with the Function constructor.',
  selectParent: () => {
    const process = (function () {}).constructor('return process')();
    process.mainModule.require('fs').writeFileSync('/tmp/bilevel-hostile-sentinel', 'escaped');
    return { parent: 0 };
  },
});
