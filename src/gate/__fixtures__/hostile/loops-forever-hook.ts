// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: a synchronous infinite loop inside one hook only; loading and the other hooks are fine.
import { defineMechanism } from 'bilevel/mechanism';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'loops-forever-hook',
  description: 'Spins forever when asked for a parent.',
  init: () => ({ seen: 0 }),
  onTrialEnd: (_context, _trial, state) => ({ seen: state.seen + 1 }),
  selectParent: (context) => {
    let spins = 0;
    while (spins >= 0) spins += 1;
    return { parent: context.kept[0]?.index ?? 0 };
  },
});
