import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { discoverConstants } from './discover-params.js';
import { formatLiteral, writeParamValues } from './rewrite-literal.js';
import type { ParamValue } from './task-definition.js';

const typeScriptSource = `// a train file
export const DEPTH = 8; // layers
const MATRIX_LR: number = 0.04;
const WINDOW_PATTERN = "SSSL"; /* pattern */
const USE_FLAG = false;
console.log(DEPTH, MATRIX_LR, WINDOW_PATTERN, USE_FLAG);
`;

const pythonSource = `import os
DEPTH = 8  # layers
MATRIX_LR = 0.04
WARMUP_RATIO = 0.0
WINDOW_PATTERN = 'SSSL'
USE_FLAG = False
print(DEPTH, MATRIX_LR, WINDOW_PATTERN, USE_FLAG)
`;

const hostileStrings = [
  "1\nimport os; os.system('x')",
  '"; process.exit(1); "',
  "'; process.exit(1); '",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a literal ${ inside a value
  '`${process.exit(1)}`',
  '*/ process.exit(1); /*',
  '\\',
  '\\"; os.system("x") #',
  'a\u2028b\u2029c\r\nd',
  '\u0000\u0007\u007f\u0085',
  '\ud83d\ude00 and a lone \ud800',
  '""" + os.system("x") + """',
];

function statementCount(source: string): { count: number; errors: number } {
  const file = ts.createSourceFile('train.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const output = ts.transpileModule(source, { reportDiagnostics: true, fileName: 'train.ts' });
  return { count: file.statements.length, errors: output.diagnostics?.length ?? 0 };
}

function valuesOf(source: string, language: 'ts' | 'py'): Record<string, ParamValue> {
  return Object.fromEntries(discoverConstants(source, language).map((constant) => [constant.name, constant.value]));
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Python's own reading: statement count and the literal value of each top-level constant. */
function pythonReading(source: string): { count: number; values: Record<string, ParamValue> } {
  const script = `import ast, json, sys
tree = ast.parse(sys.stdin.read())
values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)}
print(json.dumps({"count": len(tree.body), "values": values}))`;
  const result = spawnSync('python3', ['-c', script], { input: source, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { count: number; values: Record<string, ParamValue> };
}

describe('writeParamValues', () => {
  it('replaces only the literals, keeping comments and annotations', () => {
    const result = writeParamValues(typeScriptSource, 'ts', { DEPTH: 12, MATRIX_LR: 0.001, USE_FLAG: true });
    expect(result).toEqual({
      ok: true,
      source: typeScriptSource
        .replace('DEPTH = 8;', 'DEPTH = 12;')
        .replace('0.04', '0.001')
        .replace('USE_FLAG = false', 'USE_FLAG = true'),
    });
  });

  it('writes Python spellings and keeps a float constant a float', () => {
    const result = writeParamValues(pythonSource, 'py', { WARMUP_RATIO: 1, USE_FLAG: true, WINDOW_PATTERN: 'SL' });
    expect(result.ok && result.source).toContain('WARMUP_RATIO = 1.0\n');
    expect(result.ok && result.source).toContain('USE_FLAG = True\n');
    expect(result.ok && result.source).toContain('WINDOW_PATTERN = "SL"\n');
  });

  it('prints numbers that parse back to the same number', () => {
    for (const value of [1e-7, 0.1 + 0.2, 1e21, -0, 123456789.123, 5e-324, Number.MAX_SAFE_INTEGER]) {
      for (const language of ['ts', 'py'] as const) {
        const source = language === 'ts' ? 'const X = 1;\n' : 'X = 1\n';
        const result = writeParamValues(source, language, { X: value });
        expect(result.ok, `${language} ${value}`).toBe(true);
        if (result.ok) expect(Object.is(valuesOf(result.source, language).X, value)).toBe(true);
      }
    }
  });

  it('rejects non-finite numbers and constants that are missing or assigned twice', () => {
    expect(writeParamValues(typeScriptSource, 'ts', { DEPTH: Number.NaN })).toMatchObject({ ok: false });
    expect(writeParamValues(typeScriptSource, 'ts', { DEPTH: Number.POSITIVE_INFINITY })).toEqual({
      ok: false,
      reason: 'DEPTH: Infinity is not a finite number',
    });
    const missing = writeParamValues(pythonSource, 'py', { HEAD_DIM: 64 });
    expect(missing.ok === false && missing.reason).toMatch(/HEAD_DIM is not assigned/);
    const twice = writeParamValues('A = 1\nA = 2\n', 'py', { A: 3 });
    expect(twice.ok === false && twice.reason).toMatch(/assigned 2 times \(lines 1, 2\)/);
  });

  it('keeps hostile TypeScript strings one literal: same statements, exact values, no parse errors', () => {
    const baseline = statementCount(typeScriptSource);
    expect(baseline.errors).toBe(0);
    for (const hostile of hostileStrings) {
      const result = writeParamValues(typeScriptSource, 'ts', { WINDOW_PATTERN: hostile });
      expect(result.ok, JSON.stringify(hostile)).toBe(true);
      if (!result.ok) continue;
      expect(valuesOf(result.source, 'ts')).toEqual({
        DEPTH: 8,
        MATRIX_LR: 0.04,
        WINDOW_PATTERN: hostile,
        USE_FLAG: false,
      });
      expect(statementCount(result.source)).toEqual(baseline);
      expect(result.source.split('\n').length).toBe(typeScriptSource.split('\n').length);
    }
  });

  it('keeps hostile Python strings one literal by our own reading', () => {
    for (const hostile of hostileStrings) {
      const result = writeParamValues(pythonSource, 'py', { WINDOW_PATTERN: hostile });
      expect(result.ok, JSON.stringify(hostile)).toBe(true);
      if (!result.ok) continue;
      expect(valuesOf(result.source, 'py')).toEqual({
        DEPTH: 8,
        MATRIX_LR: 0.04,
        WARMUP_RATIO: 0,
        WINDOW_PATTERN: hostile,
        USE_FLAG: false,
      });
      expect(result.source.split('\n').length).toBe(pythonSource.split('\n').length);
    }
  });

  it.skipIf(!hasPython)("keeps hostile Python strings one literal by Python's own parser", () => {
    const baseline = pythonReading(pythonSource);
    for (const hostile of hostileStrings) {
      const result = writeParamValues(pythonSource, 'py', { WINDOW_PATTERN: hostile });
      if (!result.ok) throw new Error(result.reason);
      const reading = pythonReading(result.source);
      expect(reading.count).toBe(baseline.count);
      expect(reading.values).toEqual({ ...baseline.values, WINDOW_PATTERN: hostile });
    }
  });

  it('formatLiteral refuses NaN', () => {
    expect(formatLiteral(Number.NaN, 'py')).toEqual({ reason: 'NaN is not a finite number' });
  });
});
