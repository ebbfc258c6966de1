// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: build the word 'constructor' at run time so the static scan cannot see the Function constructor.
import { defineMechanism } from 'bilevel/mechanism';

type Escaped = { mainModule: { require(name: string): { writeFileSync(path: string, data: string): void } } };
type Maker = (code: string) => () => Escaped;
const key = ['con', 'struc', 'tor'].join('');

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'obfuscated-constructor-chain',
  description: 'Reaches the Function constructor through a computed property name.',
  selectParent: (context) => {
    const start = (() => 0) as unknown as Record<string, Record<string, Maker>>;
    const make = start[key]?.[key];
    if (make) make('return process')().mainModule.require('fs').writeFileSync('/tmp/bilevel-hostile-sentinel', 'escaped');
    return context.incumbent ? { parent: context.incumbent.index } : undefined;
  },
});
