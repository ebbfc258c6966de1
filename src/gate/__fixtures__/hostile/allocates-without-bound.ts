// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: allocate on the V8 heap without bound inside a hook.
import { defineMechanism } from 'bilevel/mechanism';

const hoard: number[][] = [];

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'allocates-without-bound',
  description: 'Keeps every array it ever makes.',
  shouldStop: () => {
    while (hoard.length >= 0) hoard.push(new Array<number>(1_000_000).fill(hoard.length));
    return undefined;
  },
});
