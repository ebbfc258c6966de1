// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: allocate typed arrays (memory outside the V8 heap cap) and keep them across calls.
import { defineMechanism } from 'bilevel/mechanism';

const hoard: Uint8Array[] = [];

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'allocates-outside-heap',
  description: 'Keeps 32 MiB buffers until the machine runs out.',
  shouldStop: () => {
    while (hoard.length >= 0) hoard.push(new Uint8Array(32 * 1024 * 1024).fill(hoard.length % 251));
    return undefined;
  },
});
