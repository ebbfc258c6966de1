// Parses one source literal (number, string, boolean, or a safe integer power/product) into a param value.

import type { SourceLanguage } from './source-language.js';
import type { ParamValue } from './task-definition.js';

/** A parsed literal; `form` tells how it was written (Python keeps `1.0` and `1` apart). */
export interface ParsedLiteral {
  value: ParamValue;
  /** `float` when written with a `.` or an exponent; `int` for whole numbers and `2 ** 19`-style products. */
  form: 'int' | 'float' | 'string' | 'boolean';
}

const digits = String.raw`\d(?:_?\d)*`;
const decimalNumber = new RegExp(
  String.raw`^-?(?:(?:0|[1-9](?:_?\d)*)(?:\.(?:${digits})?)?|\.${digits})(?:[eE][+-]?${digits})?$`,
);
const integerTerm = /^(?:0|[1-9](?:_?\d)*)$/;

/**
 * Parses `text` (the whole literal, no surrounding space) or returns `undefined` when it is not a plain literal.
 * Integer expressions made only of int literals, `**` and `*` (e.g. `2 ** 19`, `64 * 1024`) are evaluated;
 * anything else (names, calls, other operators, template literals, f-strings) is not a literal.
 */
export function parseLiteral(text: string, language: SourceLanguage): ParsedLiteral | undefined {
  if (text === (language === 'ts' ? 'true' : 'True')) return { value: true, form: 'boolean' };
  if (text === (language === 'ts' ? 'false' : 'False')) return { value: false, form: 'boolean' };
  const first = text[0];
  if (first === '"' || first === "'") {
    const value = language === 'ts' ? decodeTypeScriptString(text) : decodePythonString(text);
    return value === undefined ? undefined : { value, form: 'string' };
  }
  if (decimalNumber.test(text)) {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isFinite(value)) return undefined;
    return { value, form: /[.eE]/.test(text) ? 'float' : 'int' };
  }
  const product = evaluateIntegerExpression(text);
  return product === undefined ? undefined : { value: product, form: 'int' };
}

/** `a ** b ** c * d`: `**` binds tighter and to the right; only safe integers come out. */
function evaluateIntegerExpression(text: string): number | undefined {
  if (!/^[\d_ \t*]+$/.test(text) || !text.includes('*')) return undefined;
  const factors = text.split(/(?<!\*)\*(?!\*)/);
  let product = 1;
  for (const factor of factors) {
    const terms = factor.split('**').map((term) => term.trim());
    let power: number | undefined;
    for (const term of terms.reverse()) {
      if (!integerTerm.test(term)) return undefined;
      const base = Number(term.replaceAll('_', ''));
      power = power === undefined ? base : base ** power;
    }
    if (power === undefined) return undefined;
    product *= power;
  }
  return Number.isSafeInteger(product) ? product : undefined;
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Decodes a single-line `'…'` or `"…"` TypeScript string; `undefined` if malformed or using octal escapes. */
function decodeTypeScriptString(text: string): string | undefined {
  const quote = text[0];
  if (text.length < 2 || text[text.length - 1] !== quote) return undefined;
  let result = '';
  for (let index = 1; index < text.length - 1; index++) {
    const char = text[index]!;
    if (char === quote || char === '\n' || char === '\r') return undefined;
    if (char !== '\\') {
      result += char;
      continue;
    }
    const next = text[++index];
    if (next === undefined || index >= text.length - 1) return undefined;
    if (next in simpleEscapes) result += simpleEscapes[next];
    else if (next === '0' && !/\d/.test(text[index + 1] ?? '')) result += '\0';
    else if (/\d/.test(next)) return undefined;
    else if (next === 'x') {
      const hex = text.slice(index + 1, index + 3);
      if (!/^[\da-fA-F]{2}$/.test(hex)) return undefined;
      result += String.fromCharCode(Number.parseInt(hex, 16));
      index += 2;
    } else if (next === 'u' && text[index + 1] === '{') {
      const close = text.indexOf('}', index);
      const hex = text.slice(index + 2, close);
      if (close < 0 || !/^[\da-fA-F]{1,6}$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) return undefined;
      result += String.fromCodePoint(Number.parseInt(hex, 16));
      index = close;
    } else if (next === 'u') {
      const hex = text.slice(index + 1, index + 5);
      if (!/^[\da-fA-F]{4}$/.test(hex)) return undefined;
      result += String.fromCharCode(Number.parseInt(hex, 16));
      index += 4;
    } else if (next === '\n' || next === '\r' || next === '\u2028' || next === '\u2029') return undefined;
    else result += next;
  }
  return result;
}

/** Decodes a single-line, unprefixed `'…'` or `"…"` Python string; `undefined` if malformed or triple-quoted. */
function decodePythonString(text: string): string | undefined {
  const quote = text[0];
  if (text.length < 2 || text[text.length - 1] !== quote) return undefined;
  if (text.startsWith(quote!.repeat(3)) && text.length > 2) return undefined;
  let result = '';
  for (let index = 1; index < text.length - 1; index++) {
    const char = text[index]!;
    if (char === quote || char === '\n' || char === '\r') return undefined;
    if (char !== '\\') {
      result += char;
      continue;
    }
    const next = text[++index];
    if (next === undefined || index >= text.length - 1) return undefined;
    if (next in simpleEscapes) result += simpleEscapes[next];
    else if (next === 'a') result += '\x07';
    else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(text.slice(index, index + 3))![0];
      result += String.fromCharCode(Number.parseInt(octal, 8));
      index += octal.length - 1;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = text.slice(index + 1, index + 1 + width);
      if (!new RegExp(`^[\\da-fA-F]{${width}}$`).test(hex) || Number.parseInt(hex, 16) > 0x10ffff) return undefined;
      result += String.fromCodePoint(Number.parseInt(hex, 16));
      index += width;
    } else if (next === 'N' || next === '\n' || next === '\r') return undefined;
    else result += `\\${next}`;
  }
  return result;
}
