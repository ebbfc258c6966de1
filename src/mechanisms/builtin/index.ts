// The built-in mechanisms by name: trusted, run in-process, and shown to the meta level as examples.
import { BilevelError } from '../../core/errors.js';
import type { Mechanism } from '../mechanism.js';
import { bandit } from './bandit.js';
import { confirmMarginal } from './confirm-marginal.js';
import { latinHypercube } from './latin-hypercube.js';
import { oneFactorSweep } from './one-factor-sweep.js';
import { plateauRestart } from './plateau-restart.js';
import { tabu } from './tabu.js';

export const builtinMechanisms: Readonly<Record<string, Mechanism>> = Object.freeze({
  [tabu.name]: tabu,
  [bandit.name]: bandit,
  [oneFactorSweep.name]: oneFactorSweep,
  [confirmMarginal.name]: confirmMarginal,
  [plateauRestart.name]: plateauRestart,
  [latinHypercube.name]: latinHypercube,
} as Record<string, Mechanism>);

/** The built-in mechanism called `name`; MECHANISM_NOT_FOUND lists the names that exist. */
export function getBuiltinMechanism(name: string): Mechanism {
  const mechanism = Object.hasOwn(builtinMechanisms, name) ? builtinMechanisms[name] : undefined;
  if (mechanism === undefined) {
    throw new BilevelError('MECHANISM_NOT_FOUND', `no built-in mechanism named "${name}"`, {
      hint: `Built-in mechanisms: ${Object.keys(builtinMechanisms).join(', ')}.`,
    });
  }
  return mechanism;
}

export { bandit, confirmMarginal, latinHypercube, oneFactorSweep, plateauRestart, tabu };
