// Gate stage 2: a syntax-tree scan that refuses imports, dynamic code and reflective escapes before anything runs.
import { basename } from 'node:path';
import ts from 'typescript';
import { mechanismSpecifier } from './mechanism-specifier.js';

export interface ScanFinding {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
  /** `file.ts:LINE:COL static-scan: message`. */
  readonly text: string;
}

export interface ScanResult {
  readonly ok: boolean;
  readonly findings: readonly ScanFinding[];
}

/** Names a mechanism never needs: ambient authority, dynamic code, reflection, wall-clock and global objects. */
const forbiddenNames = new Map<string, string>([
  ['require', 'modules cannot be loaded; only the contract import is allowed'],
  ['eval', 'dynamic code is not allowed'],
  ['Function', 'dynamic code is not allowed'],
  ['globalThis', 'the global object is not available; use only the hook arguments'],
  ['global', 'the global object is not available; use only the hook arguments'],
  ['window', 'the global object is not available; use only the hook arguments'],
  ['self', 'the global object is not available; use only the hook arguments'],
  ['process', 'there is no process object; use only the hook arguments'],
  ['Buffer', 'Node APIs are not available'],
  ['module', 'CommonJS is not available; use export default'],
  ['exports', 'CommonJS is not available; use export default'],
  ['__dirname', 'the file system is not available'],
  ['__filename', 'the file system is not available'],
  ['fetch', 'the network is not available'],
  ['WebSocket', 'the network is not available'],
  ['XMLHttpRequest', 'the network is not available'],
  ['Proxy', 'reflection is not allowed'],
  ['Reflect', 'reflection is not allowed'],
  ['WebAssembly', 'WebAssembly is not allowed'],
  ['SharedArrayBuffer', 'shared memory is not allowed'],
  ['Atomics', 'shared memory is not allowed'],
  ['Compartment', 'nested compartments are not allowed'],
  ['setTimeout', 'timers are not available: hooks are synchronous'],
  ['setInterval', 'timers are not available: hooks are synchronous'],
  ['setImmediate', 'timers are not available: hooks are synchronous'],
  ['queueMicrotask', 'hooks are synchronous'],
]);

/** Property names that lead from any value back to constructors, prototypes or the engine's internals. */
const forbiddenProperties = new Map<string, string>([
  ['constructor', 'constructor chains can reach the Function constructor'],
  ['__proto__', 'prototype manipulation is not allowed'],
  ['prototype', 'prototype manipulation is not allowed'],
  ['__defineGetter__', 'prototype manipulation is not allowed'],
  ['__defineSetter__', 'prototype manipulation is not allowed'],
  ['__lookupGetter__', 'prototype manipulation is not allowed'],
  ['__lookupSetter__', 'prototype manipulation is not allowed'],
  ['getPrototypeOf', 'reflection is not allowed'],
  ['setPrototypeOf', 'reflection is not allowed'],
  ['defineProperty', 'reflection is not allowed'],
  ['getOwnPropertyDescriptor', 'reflection is not allowed'],
  ['getOwnPropertyDescriptors', 'reflection is not allowed'],
]);

/** Sources of nondeterminism: `Object.member` → why it is refused. */
const nondeterministic = new Map<string, string>([
  ['Math.random', 'Math.random is not deterministic: derive randomness from context.seed'],
  ['Date.now', 'the clock is not deterministic: decide from the hook arguments'],
  ['performance.now', 'the clock is not deterministic: decide from the hook arguments'],
]);

/** Comment directives that would switch the type-check off. */
const forbiddenDirectives = /@ts-(nocheck|ignore|expect-error)/g;

/** Scans a mechanism module's syntax tree; every finding carries its line and column. */
export function scanMechanism(source: string, fileName = 'mechanism.ts'): ScanResult {
  const displayName = basename(fileName);
  const sourceFile = ts.createSourceFile(displayName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const findings: ScanFinding[] = [];
  const report = (position: number, message: string): void => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(position);
    const text = `${displayName}:${line + 1}:${character + 1} static-scan: ${message}`;
    findings.push({ line: line + 1, column: character + 1, message, text });
  };
  for (const match of source.matchAll(forbiddenDirectives)) {
    report(match.index ?? 0, `'@ts-${match[1]}' is not allowed: every type error must be fixed`);
  }
  const visit = (node: ts.Node): void => {
    // A property access is reported at its name, so `a.constructor.constructor` gives two distinct findings.
    const at = ts.isPropertyAccessExpression(node) ? node.name : node;
    checkNode(node, (message) => report(at.getStart(sourceFile), message));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  findings.sort((left, right) => left.line - right.line || left.column - right.column);
  return { ok: findings.length === 0, findings };
}

function checkNode(node: ts.Node, report: (message: string) => void): void {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
    const specifier = node.moduleSpecifier;
    if (specifier && (!ts.isStringLiteral(specifier) || specifier.text !== mechanismSpecifier)) {
      const name = specifier && ts.isStringLiteral(specifier) ? specifier.text : specifier.getText();
      report(`import of '${name}' is not allowed: only '${mechanismSpecifier}' may be imported`);
    }
  } else if (ts.isImportEqualsDeclaration(node)) {
    report(`'import = require' is not allowed: only 'import ... from '${mechanismSpecifier}'' may be used`);
  } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    report('dynamic import() is not allowed');
  } else if (ts.isMetaProperty(node)) {
    report(`'${node.getText()}' is not allowed`);
  } else if (ts.isWithStatement(node)) {
    report("'with' is not allowed");
  } else if (ts.isIdentifier(node) && isReference(node)) {
    const reason = forbiddenNames.get(node.text);
    if (reason) report(`'${node.text}' is not allowed: ${reason}`);
  } else if (ts.isPropertyAccessExpression(node)) {
    const reason =
      forbiddenProperties.get(node.name.text) ??
      (ts.isIdentifier(node.expression)
        ? nondeterministic.get(`${node.expression.text}.${node.name.text}`)
        : undefined);
    if (reason) report(`'.${node.name.text}' is not allowed: ${reason}`);
  } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    const key = node.argumentExpression.text;
    const reason = forbiddenProperties.get(key) ?? forbiddenNames.get(key);
    if (reason) report(`'[${JSON.stringify(key)}]' is not allowed: ${reason}`);
  } else if (isForbiddenPropertyKey(node)) {
    report(`a property named '${(node as ts.PropertyAssignment).name.getText()}' is not allowed`);
  }
}

/** True when an identifier reads a variable (not a property name, a declared name, a label or a type). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return false;
  if (ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) {
    return parent.name !== node;
  }
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  return true;
}

/** Object literal keys like `{ __proto__: x }` or `{ constructor() {} }` that change prototypes. */
function isForbiddenPropertyKey(node: ts.Node): boolean {
  if (!(ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node))) return false;
  const name = node.name;
  const text = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
  return text === '__proto__' || (text === 'constructor' && ts.isObjectLiteralExpression(node.parent));
}
