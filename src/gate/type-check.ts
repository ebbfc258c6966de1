// Gate stage 1: type-check a mechanism module against the mechanism-v1 contract in an in-memory compiler host.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { BilevelError } from '../core/errors.js';
import { mechanismSpecifier } from './mechanism-specifier.js';

export interface TypeProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
  /** `file.ts:LINE:COL message`, ready to show a person or a model. */
  readonly text: string;
}

export interface TypeCheckResult {
  readonly ok: boolean;
  /** Every diagnostic, in file order. */
  readonly problems: readonly TypeProblem[];
}

/** The same strictness as the project: strict, noUncheckedIndexedAccess, ES2023 library, no Node or DOM types. */
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  noEmit: true,
  skipLibCheck: true,
};

const virtualRoot = '/__bilevel__';
const contractFileName = `${virtualRoot}/contract/mechanism.ts`;
const libDirectory = dirname(ts.getDefaultLibFilePath(compilerOptions));

/** Parsed library and contract files, shared by every check in this process: warm checks skip re-parsing. */
const sourceFileCache = new Map<string, ts.SourceFile>();
let contractText: string | undefined;

/** Collects every type error of `source` (a mechanism module) as a list a model can act on. */
export function typeCheckMechanism(source: string, fileName = 'mechanism.ts'): TypeCheckResult {
  const displayName = basename(fileName);
  const moduleFileName = `${virtualRoot}/module/${displayName.endsWith('.ts') ? displayName : `${displayName}.ts`}`;
  const host = createHost(moduleFileName, source);
  const program = ts.createProgram({ rootNames: [moduleFileName], options: compilerOptions, host });
  const moduleFile = program.getSourceFile(moduleFileName);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...(moduleFile ? program.getSyntacticDiagnostics(moduleFile) : []),
    ...(moduleFile ? program.getSemanticDiagnostics(moduleFile) : []),
  ];
  const problems = diagnostics.map((diagnostic) => toProblem(diagnostic, displayName));
  return { ok: problems.length === 0, problems };
}

function toProblem(diagnostic: ts.Diagnostic, displayName: string): TypeProblem {
  const message = ts
    .flattenDiagnosticMessageText(diagnostic.messageText, ' ')
    .replace(/ Do you need to install type definitions for node\?.*$/, ' (Node APIs are not available to mechanisms)');
  if (!diagnostic.file || diagnostic.start === undefined) {
    return { line: 0, column: 0, message, text: `${displayName}: ${message}` };
  }
  const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const line = position.line + 1;
  const column = position.character + 1;
  return { line, column, message, text: `${displayName}:${line}:${column} ${message}` };
}

function createHost(moduleFileName: string, source: string): ts.CompilerHost {
  const virtualFiles = new Map([
    [moduleFileName, source],
    [contractFileName, readContract()],
  ]);
  const readFile = (fileName: string): string | undefined => {
    const virtual = virtualFiles.get(fileName);
    if (virtual !== undefined) return virtual;
    return isLibFile(fileName) && existsSync(fileName) ? readFileSync(fileName, 'utf8') : undefined;
  };
  return {
    getSourceFile(fileName, languageVersion) {
      if (fileName === moduleFileName) return ts.createSourceFile(fileName, source, languageVersion, true);
      const cached = sourceFileCache.get(fileName);
      if (cached) return cached;
      const text = readFile(fileName);
      if (text === undefined) return undefined;
      const parsed = ts.createSourceFile(fileName, text, languageVersion, true);
      sourceFileCache.set(fileName, parsed);
      return parsed;
    },
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    getDefaultLibLocation: () => libDirectory,
    writeFile: () => undefined,
    getCurrentDirectory: () => `${virtualRoot}/module`,
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (fileName) => virtualFiles.has(fileName) || (isLibFile(fileName) && existsSync(fileName)),
    readFile,
    directoryExists: (directory) =>
      directory.startsWith(virtualRoot) ||
      (isLibFile(directory) && existsSync(directory) && statSync(directory).isDirectory()),
    realpath: (path) => path,
    getDirectories: () => [],
    resolveModuleNameLiterals: (literals) =>
      literals.map((literal) =>
        literal.text === mechanismSpecifier
          ? { resolvedModule: { resolvedFileName: contractFileName, extension: ts.Extension.Ts } }
          : { resolvedModule: undefined },
      ),
  };
}

/** Only the compiler's own library folder is read from disk. */
function isLibFile(fileName: string): boolean {
  return fileName === libDirectory || fileName.startsWith(`${libDirectory}/`);
}

/** The contract's source: mechanism.ts next to the sources, or mechanism.d.ts in a compiled build. */
function readContract(): string {
  if (contractText !== undefined) return contractText;
  for (const candidate of ['../mechanisms/mechanism.ts', '../mechanisms/mechanism.d.ts']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) {
      contractText = readFileSync(path, 'utf8');
      return contractText;
    }
  }
  throw new BilevelError(
    'INTERNAL',
    'the mechanism contract (mechanisms/mechanism.ts) was not found next to the gate',
    {
      hint: 'reinstall bilevel: its build is incomplete',
    },
  );
}
