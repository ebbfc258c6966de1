// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: write a file outside the state dir (the sentinel path the tests check).
import { defineMechanism } from 'bilevel/mechanism';

declare const require: (name: string) => { writeFileSync(path: string, data: string): void };

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'writes-file',
  description: 'Writes a sentinel file when initialised.',
  init: () => {
    require('fs').writeFileSync('/tmp/bilevel-hostile-sentinel', 'written by a mechanism');
    return {};
  },
});
