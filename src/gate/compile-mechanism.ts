// Turns a mechanism module (TypeScript) into a self-contained script for the sandbox: no imports, no endowments.
import { transform } from 'esbuild';
import { decisionHooks } from '../mechanisms/mechanism.js';
import { mechanismSpecifier } from './mechanism-specifier.js';

export type CompileResult =
  | { readonly ok: true; readonly compiledJs: string }
  | { readonly ok: false; readonly problems: string[] };

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly line: number; readonly column: number } | null;
}

/**
 * Strips types with esbuild (CommonJS output) and wraps the result in a script that evaluates to the module's
 * exports. The wrapper supplies `require` for the contract specifier only, as a shim built inside the compartment
 * (defineMechanism is the identity), so the module needs nothing from outside.
 */
export async function compileMechanism(source: string, fileName = 'mechanism.ts'): Promise<CompileResult> {
  let code: string;
  try {
    const result = await transform(source, {
      loader: 'ts',
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      sourcefile: fileName,
      logLevel: 'silent',
    });
    code = result.code;
  } catch (error) {
    const errors = (error as { errors?: readonly EsbuildMessage[] }).errors;
    if (!errors) throw error;
    return { ok: false, problems: errors.map((entry) => formatMessage(fileName, entry)) };
  }
  const problems = evaluatorRefusals(code, source, fileName);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, compiledJs: wrapModule(code) };
}

/**
 * Text that SES's evaluator rejects wherever it appears, strings included (it cannot tell them apart without a
 * parser). Caught here so the problem names a line and a fix instead of failing at load.
 */
const evaluatorPatterns: readonly { pattern: RegExp; fix: string }[] = [
  { pattern: /<!--|-->/, fix: 'it may be read as an HTML comment; write "->" or split the string' },
  { pattern: /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/, fix: 'it looks like a dynamic import; reword it' },
  { pattern: /(^|[^.])\beval(\s*\()/, fix: 'it looks like a call of eval; reword it' },
];

function evaluatorRefusals(code: string, source: string, fileName: string): string[] {
  const problems: string[] = [];
  for (const { pattern, fix } of evaluatorPatterns) {
    const match = pattern.exec(code);
    if (!match) continue;
    const text = match[0].trim();
    const offset = source.indexOf(text);
    const where = offset < 0 ? `${fileName}:` : `${fileName}:${source.slice(0, offset).split('\n').length}:`;
    problems.push(`${where} compile: the text ${JSON.stringify(text)} cannot appear anywhere in a mechanism: ${fix}`);
  }
  return problems;
}

function formatMessage(fileName: string, entry: EsbuildMessage): string {
  return entry.location
    ? `${fileName}:${entry.location.line}:${entry.location.column + 1} compile: ${entry.text}`
    : `${fileName}: compile: ${entry.text}`;
}

/** Wraps esbuild's CommonJS output into the compartment script (exported for tests that bypass the gate's checks). */
export function wrapModule(code: string): string {
  return `(() => {
  'use strict';
  const contract = Object.freeze({
    defineMechanism: (mechanism) => mechanism,
    decisionHooks: Object.freeze(${JSON.stringify(decisionHooks)}),
  });
  const module = { exports: {} };
  const require = (specifier) => {
    if (specifier === ${JSON.stringify(mechanismSpecifier)}) return contract;
    throw new Error('only ${mechanismSpecifier} may be imported, not ' + String(specifier));
  };
  (function (module, exports, require) {
${code}
  })(module, module.exports, require);
  return module.exports;
})()
`;
}
