// Level 2 without an LLM: match the trace diagnosis to what each built-in or library mechanism targets.
import type { LibraryEntry } from '../library/library.js';
import type { Symptom, TraceDiagnosis } from './diagnose-trace.js';

/** What each built-in mechanism is for, by the failure mode it targets (see src/mechanisms/builtin/). */
export const builtinTargets: Readonly<Record<string, readonly Symptom[]>> = {
  tabu: ['repetition'],
  'one-factor-sweep': ['unmoved-params'],
  'plateau-restart': ['plateau'],
  'confirm-marginal': ['marginal-keeps'],
  bandit: ['uneven-payoffs'],
  'latin-hypercube': ['unmoved-params'],
};

export interface OfflinePick {
  readonly name: string;
  readonly origin: 'builtin' | 'library';
  /** The symptom it was matched on. */
  readonly symptom: Symptom;
  readonly reason: string;
}

/** The failure modes a library entry declares in its evidence (`{ targets: [...] }`), if any. */
export function libraryTargets(entry: LibraryEntry): readonly string[] {
  const evidence = entry.provenance.evidence as { targets?: unknown } | undefined;
  return Array.isArray(evidence?.targets) ? evidence.targets.filter((item) => typeof item === 'string') : [];
}

/**
 * The first symptom (most pressing first) that some mechanism targets and the run has not used yet, built-ins
 * before library entries. `unavailable` holds names already active or retired in the run. Undefined: no match.
 */
export function selectOffline(
  diagnosis: TraceDiagnosis,
  library: readonly LibraryEntry[],
  unavailable: ReadonlySet<string>,
): OfflinePick | undefined {
  for (const symptom of diagnosis.symptoms) {
    for (const [name, targets] of Object.entries(builtinTargets)) {
      if (targets.includes(symptom) && !unavailable.has(name)) {
        return { name, origin: 'builtin', symptom, reason: `built-in ${name} targets ${symptom}` };
      }
    }
    for (const entry of library) {
      if (entry.inert || unavailable.has(entry.name)) continue;
      if (libraryTargets(entry).includes(symptom)) {
        return { name: entry.name, origin: 'library', symptom, reason: `library ${entry.name} targets ${symptom}` };
      }
    }
  }
  return undefined;
}
