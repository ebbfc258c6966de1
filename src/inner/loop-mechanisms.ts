// What the loop needs from the active mechanisms: one method per hook of the composition (mechanisms/compose.ts).
import { type ComposedMechanisms, composeMechanisms } from '../mechanisms/compose.js';
import type { HookName } from '../mechanisms/hooks.js';

export type LoopMechanisms = Pick<ComposedMechanisms, HookName>;

/** No mechanisms: a composition of none, so every decision is the loop's default. */
export function noMechanisms(): LoopMechanisms {
  return composeMechanisms([]);
}
