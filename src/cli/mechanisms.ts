// `bilevel mechanisms list|show NAME|add FILE.ts`: the built-ins and the gated library.

import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { displayJson, displayText } from '../core/display-text.js';
import { BilevelError } from '../core/errors.js';
import { type GateReport, runGate } from '../gate/run-gate.js';
import { addToLibrary, getLibraryMechanism, listLibrary } from '../library/library.js';
import { readLibraryEvidence, summarizeEvidence } from '../library/library-evidence.js';
import { builtinMechanisms } from '../mechanisms/builtin/index.js';
import { hookNames } from '../mechanisms/hooks.js';
import type { MechanismParam } from '../mechanisms/mechanism.js';
import { alignColumns } from './align-columns.js';
import { exitCodes } from './exit-codes.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

interface Flags {
  stateDir?: string;
  json?: boolean;
  allowInert?: boolean;
}

export function registerMechanismsCommand(program: Command): void {
  const mechanisms = program.command('mechanisms').description('built-in and library mechanisms');

  addStateDirOption(mechanisms.command('list').description('list built-in and library mechanisms'))
    .option('--json', 'print JSON')
    .action((flags: Flags) => {
      const rows = listAll(stateDirFrom(flags));
      if (flags.json) return print({ mechanisms: rows });
      write(
        alignColumns(rows.map((row) => [row.name, row.inert ? `${row.origin}, inert` : row.origin, row.description])),
      );
    });

  addStateDirOption(mechanisms.command('show').argument('<name>').description('show one mechanism'))
    .option('--json', 'print JSON')
    .action((name: string, flags: Flags) => {
      const details = showOne(name, stateDirFrom(flags));
      if (flags.json) return print(details);
      for (const [key, value] of Object.entries(details)) {
        if (key === 'source' || key === 'params') continue;
        write(
          `${key}: ${typeof value === 'string' ? value : Array.isArray(value) && key === 'hooks' ? value.join(', ') : JSON.stringify(value)}`,
        );
      }
      write(paramsTable(String(details.name), details.params as Record<string, MechanismParam>));
      if (typeof details.source === 'string') write(`\n${details.source}`);
    });

  addStateDirOption(
    mechanisms
      .command('add')
      .argument('<file>', 'a TypeScript module: export default defineMechanism({...}) from bilevel/mechanism')
      .description('put a mechanism module through the gate and, if it passes, into the library'),
  )
    .option('--json', 'print JSON')
    .option('--allow-inert', 'store it even if it would change no decision on the replayed traces')
    .action(async (file: string, flags: Flags) => {
      const path = resolve(file);
      if (!existsSync(path)) {
        throw new BilevelError('USAGE', `no such file: ${file}`, { hint: 'Pass the path of a .ts mechanism module.' });
      }
      const source = readFileSync(path, 'utf8');
      const report = await runGate(source, {
        fileName: basename(path),
        origin: 'library',
        allowInert: flags.allowInert,
      });
      const blocking = report.problems.filter((problem) => !(flags.allowInert && problem.startsWith('inert:')));
      if (blocking.length > 0 || !report.mechanism) {
        if (flags.json) print({ added: false, report: withoutCode(report) });
        else printRefusal(report);
        process.exitCode = exitCodes.usage;
        return;
      }
      const result = addToLibrary(stateDirFrom(flags), source, report, { allowInert: flags.allowInert });
      if (flags.json)
        return print({ added: result.status === 'added', entry: result.entry, report: withoutCode(report) });
      const changed = report.replay?.decisionsChanged ?? 0;
      write(
        result.status === 'added'
          ? `added ${result.entry.name} to ${result.entry.directory} (would change ${changed} decisions on replay${report.replay?.inert ? ', inert' : ''})`
          : `${result.entry.name} is already in the library with this exact source; nothing to do`,
      );
    });
}

interface Row {
  name: string;
  origin: 'builtin' | 'library' | 'generated';
  description: string;
  hooks: string[];
  inert: boolean;
}

function listAll(stateDir: string): Row[] {
  const builtins = Object.values(builtinMechanisms).map((mechanism) => ({
    name: mechanism.name,
    origin: 'builtin' as const,
    description: mechanism.description,
    hooks: hooksOf(mechanism as unknown as Record<string, unknown>),
    inert: false,
  }));
  const stored = listLibrary(stateDir).map((entry) => ({
    name: entry.name,
    origin: entry.provenance.origin,
    description: entry.description,
    hooks: [...entry.hooks],
    inert: entry.inert,
  }));
  return [...builtins, ...stored];
}

function showOne(name: string, stateDir: string): Record<string, unknown> {
  const builtin = Object.hasOwn(builtinMechanisms, name) ? builtinMechanisms[name] : undefined;
  if (builtin) {
    return {
      name: builtin.name,
      origin: 'builtin',
      description: builtin.description,
      hooks: hooksOf(builtin as unknown as Record<string, unknown>),
      params: builtin.params ?? {},
    };
  }
  const stored = getLibraryMechanism(stateDir, name);
  const evidence = readLibraryEvidence(stateDir, name);
  return {
    name: stored.name,
    origin: stored.provenance.origin,
    description: stored.description,
    hooks: stored.hooks,
    params: stored.gateReport.mechanism?.params ?? {},
    inert: stored.inert,
    decisionsChanged: stored.gateReport.replay?.decisionsChanged ?? null,
    provenance: stored.provenance,
    evidence: summarizeEvidence(evidence) || 'not measured in a run yet',
    runs: evidence,
    directory: stored.directory,
    source: stored.source,
  };
}

/** A mechanism's params as a table: name, default, allowed values, and what each does. */
export function paramsTable(mechanism: string, params: Readonly<Record<string, MechanismParam>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return 'params: none';
  const allowed = (param: MechanismParam): string =>
    param.type === 'number'
      ? `${param.integer ? 'integer' : 'number'} ${param.min} to ${param.max}`
      : `one of ${param.choices.map((choice) => JSON.stringify(choice)).join(', ')}`;
  const rows = entries.map(([name, param]) => [
    `  ${name}`,
    JSON.stringify(param.default),
    allowed(param),
    param.description ?? '',
  ]);
  return `params (set one with --mechanism-param ${mechanism}.PARAM=VALUE):\n${alignColumns([['  name', 'default', 'allowed', 'what it does'], ...rows])}`;
}

function hooksOf(mechanism: Record<string, unknown>): string[] {
  return hookNames.filter((hook) => typeof mechanism[hook] === 'function');
}

function printRefusal(report: GateReport): void {
  write(`refused at ${report.stageReached}: ${report.problems.length} problem(s)`);
  for (const problem of report.problems) write(`- ${problem}`);
  process.stderr.write(
    'error [MECHANISM_REJECTED]: the gate refused the module\n  → Fix the problems listed above and add it again.\n',
  );
}

/** The report without the compiled script (long, and stored in the library anyway). */
function withoutCode(report: GateReport): Omit<GateReport, 'compiledJs'> {
  const { compiledJs: _compiledJs, ...rest } = report;
  return rest;
}

function print(value: unknown): void {
  process.stdout.write(`${displayJson(value, 2)}\n`);
}

/** A generated mechanism's name, description and gate problems are model text: escaped before they are shown. */
function write(line: string): void {
  process.stdout.write(`${displayText(line)}\n`);
}
