// The mechanism library: gated modules stored under <state-dir>/mechanisms/<name>/ with their hash, report and provenance.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { GateReport } from '../gate/run-gate.js';
import { builtinMechanisms } from '../mechanisms/builtin/index.js';

/** Where a library entry came from and why it is trusted to run (in the sandbox). */
export interface LibraryProvenance {
  readonly origin: 'library' | 'generated';
  /** ISO 8601 time it was stored. */
  readonly addedAt: string;
  /** Hex SHA-256 of module.ts. */
  readonly sourceSha256: string;
  /** Hex SHA-256 of compiled.js (checked before every load). */
  readonly compiledSha256: string;
  /** `cli-add` for `bilevel mechanisms add`, or the meta session that wrote it. */
  readonly source: 'cli-add' | { readonly runId: string; readonly sessionId: string };
  /** What the run measured while it was on probation (free-form plain data from the meta level). */
  readonly evidence?: unknown;
}

/** One stored mechanism as listed. */
export interface LibraryEntry {
  readonly name: string;
  readonly description: string;
  readonly hooks: readonly string[];
  /** True when the gate found it would change no decision on its trace (stored only with allowInert). */
  readonly inert: boolean;
  readonly provenance: LibraryProvenance;
  /** Absolute folder of the entry. */
  readonly directory: string;
}

/** An entry with its files' contents. */
export interface LibraryMechanism extends LibraryEntry {
  readonly source: string;
  readonly compiledJs: string;
  readonly gateReport: GateReport;
}

export interface AddOptions {
  readonly origin?: 'library' | 'generated';
  readonly source?: LibraryProvenance['source'];
  readonly evidence?: unknown;
  /** Store a mechanism whose only gate problem is being inert. */
  readonly allowInert?: boolean;
  readonly now?: Date;
}

export type AddResult = { readonly status: 'added' | 'unchanged'; readonly entry: LibraryEntry };

const provenanceSchema = z.object({
  origin: z.enum(['library', 'generated']),
  addedAt: z.string(),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  compiledSha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.union([z.literal('cli-add'), z.object({ runId: z.string(), sessionId: z.string() })]),
  evidence: z.unknown().optional(),
});

/** The library folder inside a state dir. */
export function libraryDirectory(stateDir: string): string {
  return join(stateDir, 'mechanisms');
}

/**
 * Stores a module that passed the gate. The four files are written into a temporary folder and renamed into place
 * in one step. Same name and same source: nothing to do. Same name, other source: MECHANISM_EXISTS.
 */
export function addToLibrary(
  stateDir: string,
  source: string,
  report: GateReport,
  options: AddOptions = {},
): AddResult {
  const sourceSha256 = sha256(source);
  if (report.sourceSha256 !== sourceSha256) {
    throw new BilevelError('INTERNAL', 'the gate report is for another source than the one being stored', {
      hint: 'Run the gate on exactly the source you store.',
    });
  }
  const blocking = report.problems.filter((problem) => !(options.allowInert && problem.startsWith('inert:')));
  if (blocking.length > 0 || !report.mechanism || report.compiledJs === undefined) {
    throw new BilevelError('MECHANISM_REJECTED', `the gate refused the module at ${report.stageReached}`, {
      hint: blocking.length > 0 ? `Fix: ${blocking.slice(0, 3).join(' | ')}` : 'Run the gate to completion first.',
    });
  }
  const name = report.mechanism.name;
  if (Object.hasOwn(builtinMechanisms, name)) {
    throw new BilevelError('MECHANISM_EXISTS', `"${name}" is the name of a built-in mechanism`, {
      hint: 'Rename the mechanism (its name field) and add it again.',
    });
  }
  const root = libraryDirectory(stateDir);
  const directory = join(root, name);
  if (existsSync(directory)) {
    const existing = readEntry(directory);
    if (existing.provenance.sourceSha256 === sourceSha256) return { status: 'unchanged', entry: existing };
    throw new BilevelError('MECHANISM_EXISTS', `the library already has a different mechanism named "${name}"`, {
      hint: 'Rename the new mechanism (its name field), or remove the old folder if it is no longer wanted.',
    });
  }
  const provenance: LibraryProvenance = {
    origin: options.origin ?? 'library',
    addedAt: (options.now ?? new Date()).toISOString(),
    sourceSha256,
    compiledSha256: sha256(report.compiledJs),
    source: options.source ?? 'cli-add',
    ...(options.evidence === undefined ? {} : { evidence: options.evidence }),
  };
  mkdirSync(root, { recursive: true });
  const temporary = join(root, `.tmp-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(temporary);
  try {
    writeFileSync(join(temporary, 'module.ts'), source);
    writeFileSync(join(temporary, 'compiled.js'), report.compiledJs);
    writeFileSync(
      join(temporary, 'gate-report.json'),
      `${JSON.stringify({ ...report, compiledJs: undefined }, null, 2)}\n`,
    );
    writeFileSync(join(temporary, 'provenance.json'), `${JSON.stringify(provenance, null, 2)}\n`);
    renameSync(temporary, directory);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  return { status: 'added', entry: readEntry(directory) };
}

/** Every stored mechanism, by name. Temporary folders of interrupted writes are skipped. */
export function listLibrary(stateDir: string): LibraryEntry[] {
  const root = libraryDirectory(stateDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => readEntry(join(root, entry.name)))
    .sort((left, right) => left.name.localeCompare(right.name));
}

/** One stored mechanism with its files; MECHANISM_NOT_FOUND lists what exists; STATE_CORRUPT on a hash mismatch. */
export function getLibraryMechanism(stateDir: string, name: string): LibraryMechanism {
  const directory = join(libraryDirectory(stateDir), name);
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(directory)) {
    const names = listLibrary(stateDir).map((entry) => entry.name);
    throw new BilevelError('MECHANISM_NOT_FOUND', `no library mechanism named "${name}"`, {
      hint: `In the library: ${names.join(', ') || 'none'}; built-in: ${Object.keys(builtinMechanisms).join(', ')}.`,
    });
  }
  const entry = readEntry(directory);
  const source = readFileSync(join(directory, 'module.ts'), 'utf8');
  const compiledJs = readFileSync(join(directory, 'compiled.js'), 'utf8');
  if (sha256(source) !== entry.provenance.sourceSha256 || sha256(compiledJs) !== entry.provenance.compiledSha256) {
    throw new BilevelError('STATE_CORRUPT', `library mechanism "${name}" does not match its recorded hashes`, {
      hint: `Its files were changed after the gate passed them: delete ${directory} and add the module again.`,
    });
  }
  return { ...entry, source, compiledJs, gateReport: readGateReport(directory) };
}

function readEntry(directory: string): LibraryEntry {
  const provenance = readJson(join(directory, 'provenance.json'), provenanceSchema) as LibraryProvenance;
  const report = readGateReport(directory);
  return {
    name: report.mechanism?.name ?? directory.split('/').at(-1) ?? '',
    description: report.mechanism?.description ?? '',
    hooks: report.mechanism?.hooks ?? [],
    inert: report.replay?.inert ?? false,
    provenance,
    directory,
  };
}

function readGateReport(directory: string): GateReport {
  return readJson(join(directory, 'gate-report.json'), z.looseObject({ ok: z.boolean() })) as unknown as GateReport;
}

function readJson(path: string, schema: z.ZodType): unknown {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BilevelError('STATE_CORRUPT', `cannot read ${path}`, {
      cause: error,
      hint: 'Delete that library folder and add the module again.',
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new BilevelError('STATE_CORRUPT', `${path} is malformed: ${z.prettifyError(parsed.error)}`, {
      hint: 'Delete that library folder and add the module again.',
    });
  }
  return parsed.data;
}
