// Whether each Optuna sampler can run here, with which Python, and what to install when it cannot (OPTIMIZER_UNAVAILABLE).
import { BilevelError } from '../core/errors.js';
import { type OptunaSampler, optunaSamplers } from '../records/proposer-spec.js';
import { findOptunaPython, type PythonProbe, type PythonSearch } from './find-python.js';

export interface SamplerAvailability {
  readonly sampler: OptunaSampler;
  /** The interpreter that would run it (its path), when one imports Optuna. */
  readonly python?: string;
  readonly optunaVersion?: string;
  /** Why it cannot run here; absent when it can. */
  readonly problem?: string;
}

/** How to get Optuna (and a sampler's extra packages) for a Python bilevel can use. */
export function installHint(sampler?: OptunaSampler): string {
  const optuna =
    'install Optuna for a Python 3 (pip install optuna, or on Debian/Ubuntu apt-get install python3-optuna for /usr/bin/python3) and pass --python PATH if it is not python3 on PATH';
  if (sampler === 'qmc')
    return 'QMCSampler needs SciPy: pip install scipy (Debian/Ubuntu: apt-get install python3-scipy)';
  if (sampler === 'gp')
    return "GPSampler needs Optuna 3.6 or later with torch and SciPy: pip install -U 'optuna>=3.6' torch scipy";
  if (sampler === 'cmaes')
    return 'CmaEsSampler needs the cmaes package: pip install cmaes (Debian/Ubuntu: apt-get install python3-cmaes)';
  return optuna;
}

/** One line per interpreter tried: `python3 (3.11.7): cannot import optuna (…)`. */
export function describeSearch(search: PythonSearch): string {
  return search.tried
    .map(
      (probe) =>
        `${probe.command}${probe.pythonVersion ? ` (Python ${probe.pythonVersion})` : ''}: ${probe.problem ?? `Optuna ${probe.optunaVersion}`}`,
    )
    .join('; ');
}

/** Every sampler with whether it can run here (one probe per interpreter and process). */
export function optunaAvailability(explicit?: string): { search: PythonSearch; samplers: SamplerAvailability[] } {
  const search = findOptunaPython(explicit);
  const chosen = search.chosen;
  const samplers = optunaSamplers.map((sampler): SamplerAvailability => {
    if (!chosen) return { sampler, problem: `no Python here imports optuna (${describeSearch(search)})` };
    const problem = chosen.samplers[sampler];
    const base = { sampler, python: chosen.executable ?? chosen.command, optunaVersion: chosen.optunaVersion ?? '?' };
    return problem === null ? base : { ...base, problem: problem ?? `this Optuna does not report ${sampler}` };
  });
  return { search, samplers };
}

/**
 * The interpreter that runs these samplers, or OPTIMIZER_UNAVAILABLE (exit 2) saying which interpreters were tried,
 * what each lacked, and what to install.
 */
export function requireOptuna(samplers: readonly OptunaSampler[], explicit?: string): PythonProbe {
  const { search, samplers: availability } = optunaAvailability(explicit);
  if (!search.chosen) {
    throw new BilevelError(
      'OPTIMIZER_UNAVAILABLE',
      `optuna:${samplers[0]} needs Optuna, and no Python here can import it: ${describeSearch(search)}`,
      {
        hint: installHint(),
      },
    );
  }
  for (const sampler of samplers) {
    const problem = availability.find((entry) => entry.sampler === sampler)?.problem;
    if (problem !== undefined) {
      throw new BilevelError(
        'OPTIMIZER_UNAVAILABLE',
        `optuna:${sampler} cannot run with ${search.chosen.executable}: ${problem}`,
        {
          hint: installHint(sampler),
        },
      );
    }
  }
  return search.chosen;
}
