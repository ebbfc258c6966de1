// What the research session's prompts show, each part bounded so a prompt's size does not grow with the run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LibraryEntry } from '../library/library.js';
import { readLibraryEvidence, summarizeEvidence } from '../library/library-evidence.js';
import { diagnosisListCap, type TraceDiagnosis } from './diagnose-trace.js';
import { libraryTargets } from './offline-selector.js';

/**
 * The most characters any round's prompt (system + user) may have: ≈ 12k tokens. The fixed source files are
 * ≈ 27k; the diagnosis, library list, candidates, specification, module and problems are each capped below.
 */
export const metaPromptCharLimit = 48_000;

/** Library entries listed in a prompt. */
export const libraryListCap = 20;
/** Longest model-written text carried from one round into the next (a field, a spec, a module), in characters. */
export const carriedTextCap = 4_000;
/** Longest module shown back to the model for repair, in characters. */
export const repairSourceCap = 16_000;
/** Gate problems shown per repair, and the longest problem line. */
export const problemLimit = 20;
const problemLineCap = 300;

/** The fixed source files shown to the model: the trial cycle, the contract and two built-ins. */
export interface MetaSources {
  readonly trialCycle: string;
  readonly contract: string;
  readonly examples: readonly { readonly path: string; readonly source: string }[];
}

let cachedSources: MetaSources | undefined;

/** Reads the files once per process (they are part of the installed package). */
export function loadMetaSources(): MetaSources {
  if (cachedSources) return cachedSources;
  const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
  cachedSources = {
    trialCycle: read('../inner/trial-cycle.ts'),
    contract: read('../mechanisms/mechanism.ts'),
    examples: [
      { path: 'src/mechanisms/builtin/tabu.ts', source: read('../mechanisms/builtin/tabu.ts') },
      { path: 'src/mechanisms/builtin/one-factor-sweep.ts', source: read('../mechanisms/builtin/one-factor-sweep.ts') },
    ],
  };
  return cachedSources;
}

/** The diagnosis as indented JSON (its lists are already capped at `diagnosisListCap`). */
export function formatDiagnosis(diagnosis: TraceDiagnosis): string {
  return JSON.stringify(diagnosis, null, 1);
}

/** One line per library entry (capped), with what it targets and how runs measured it; "none" when empty. */
export function formatLibrary(entries: readonly LibraryEntry[], active: readonly string[], stateDir?: string): string {
  const lines = entries.slice(0, libraryListCap).map((entry) => {
    const measured = stateDir === undefined ? '' : summarizeEvidence(readLibraryEvidence(stateDir, entry.name));
    return `- ${entry.name} (${entry.provenance.origin}${entry.inert ? ', inert' : ''}; hooks ${entry.hooks.join(', ')}; targets ${
      libraryTargets(entry).join(', ') || 'unstated'
    }${measured ? `; ${measured}` : ''}): ${clip(entry.description, 200)}`;
  });
  if (entries.length > libraryListCap) lines.push(`- … and ${entries.length - libraryListCap} more`);
  const activeLine = `Active in this run: ${active.slice(0, diagnosisListCap).join(', ') || 'none'}.`;
  return `${activeLine}\n${lines.join('\n') || '- (the library is empty)'}`;
}

/** The gate's problems for a repair prompt: the first `problemLimit`, each clipped. */
export function formatProblems(problems: readonly string[]): string {
  return problems
    .slice(0, problemLimit)
    .map((problem) => `- ${clip(problem, problemLineCap)}`)
    .join('\n');
}

/** Model-written data carried into a later prompt, as JSON clipped to `limit` characters. */
export function carried(value: unknown, limit = carriedTextCap): string {
  return clip(typeof value === 'string' ? value : JSON.stringify(value, null, 1), limit);
}

export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [clipped at ${limit} characters]`;
}
