// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: never finish loading (a synchronous loop at module top level).
import { defineMechanism } from 'bilevel/mechanism';

let spins = 0;
while (spins >= 0) spins += 1;

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'loops-forever-load',
  description: 'Spins while the module loads.',
  shouldStop: () => ({ stop: spins < 0, reason: 'never' }),
});
