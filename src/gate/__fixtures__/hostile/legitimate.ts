// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Not an attack: a well-behaved mechanism that must pass every stage of the gate.
import { defineMechanism, type Value } from 'bilevel/mechanism';

interface TabuState {
  /** Signatures of every value set already tried, oldest first. */
  readonly tried: readonly string[];
}

const signature = (values: Readonly<Record<string, Value>>): string =>
  Object.keys(values)
    .sort()
    .map((name) => `${name}=${String(values[name])}`)
    .join(';');

export default defineMechanism<TabuState>({
  specificationVersion: 'mechanism-v1',
  name: 'tabu-repeats',
  description: 'Stops the search from re-running a value set it already tried by rejecting exact repeats.',
  params: { memory: { type: 'number', default: 500, min: 10, max: 5000, integer: true } },
  init: () => ({ tried: [] }),
  onTrialEnd: (context, trial, state) => {
    const limit = Number(context.config.memory ?? 500);
    return { tried: [...state.tried, signature(trial.values)].slice(-limit) };
  },
  screenProposal: (_context, proposal, state) => {
    if (proposal.kind !== 'params' || Object.keys(proposal.changed).length === 0) return undefined;
    return state.tried.includes(signature(proposal.values))
      ? { accept: false, reason: 'these exact values were already tried; change something else' }
      : undefined;
  },
});
