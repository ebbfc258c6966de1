// Writes param values into source by replacing only each constant's literal, so no value can inject code.
import { type DiscoveredConstant, discoverConstants } from './discover-params.js';
import type { ParsedLiteral } from './parse-literal.js';
import type { SourceLanguage } from './source-language.js';
import type { ParamValue } from './task-definition.js';

export type WriteParamValuesResult = { ok: true; source: string } | { ok: false; reason: string };

/**
 * Replaces the literal of each named top-level constant with the given value and nothing else.
 * Fails (as data) when a constant is not found exactly once, a number is not finite, or the rewritten
 * file does not read back as exactly the requested values with every other constant unchanged.
 */
export function writeParamValues(
  source: string,
  language: SourceLanguage,
  values: Record<string, ParamValue>,
): WriteParamValuesResult {
  const before = discoverConstants(source, language);
  const replacements: { constant: DiscoveredConstant; text: string }[] = [];
  for (const [name, value] of Object.entries(values)) {
    const matches = before.filter((constant) => constant.name === name);
    if (matches.length !== 1) {
      return {
        ok: false,
        reason:
          matches.length === 0
            ? `constant ${name} is not assigned a literal at top level (expected one line like ${example(name, language)})`
            : `constant ${name} is assigned ${matches.length} times (lines ${matches.map((match) => match.line).join(', ')}); it must be assigned once`,
      };
    }
    const constant = matches[0]!;
    const text = formatLiteral(value, language, constant.form);
    if (typeof text !== 'string') return { ok: false, reason: `${name}: ${text.reason}` };
    replacements.push({ constant, text });
  }
  let output = source;
  for (const { constant, text } of [...replacements].sort(
    (left, right) => right.constant.start - left.constant.start,
  )) {
    output = output.slice(0, constant.start) + text + output.slice(constant.end);
  }
  const problem = checkReadBack(before, discoverConstants(output, language), values);
  return problem === undefined ? { ok: true, source: output } : { ok: false, reason: problem };
}

/**
 * The literal text for a value: numbers print so they parse back to the same number (Python keeps a
 * float-written constant a float: `1` → `1.0`); TypeScript strings use JSON escapes (plus U+2028/2029);
 * Python strings escape everything outside printable ASCII, so any content stays one literal on one line.
 */
export function formatLiteral(
  value: ParamValue,
  language: SourceLanguage,
  previousForm?: ParsedLiteral['form'],
): string | { reason: string } {
  if (typeof value === 'boolean') {
    if (language === 'ts') return value ? 'true' : 'false';
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { reason: `${String(value)} is not a finite number` };
    let text = Object.is(value, -0) ? '-0' : String(value);
    if (language === 'py' && previousForm === 'float' && /^-?\d+$/.test(text)) text += '.0';
    if (language === 'py' && previousForm !== 'float' && Number.isInteger(value) && /e/.test(text)) {
      text = BigInt(value).toString();
    }
    return text;
  }
  if (typeof value !== 'string') return { reason: `a ${typeof value} is not a param value` };
  if (language === 'ts') return JSON.stringify(value).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
  return pythonStringLiteral(value);
}

function pythonStringLiteral(value: string): string {
  let text = '"';
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const char = value[index]!;
    if (char === '\\') text += '\\\\';
    else if (char === '"') text += '\\"';
    else if (char === '\n') text += '\\n';
    else if (char === '\r') text += '\\r';
    else if (char === '\t') text += '\\t';
    else if (code >= 0x20 && code < 0x7f) text += char;
    else if (code <= 0xff) text += `\\x${code.toString(16).padStart(2, '0')}`;
    else {
      // A valid surrogate pair becomes one \U escape; a lone surrogate stays a \u escape (Python allows it).
      const point = value.codePointAt(index)!;
      if (point > 0xffff) {
        text += `\\U${point.toString(16).padStart(8, '0')}`;
        index++;
      } else text += `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
  return `${text}"`;
}

/** `undefined` when the rewritten file holds exactly the requested values and every other constant as before. */
function checkReadBack(
  before: DiscoveredConstant[],
  after: DiscoveredConstant[],
  values: Record<string, ParamValue>,
): string | undefined {
  if (after.length !== before.length || after.some((constant, index) => constant.name !== before[index]!.name)) {
    return 'the rewritten file no longer has the same top-level constants; refusing to write it';
  }
  for (const [index, constant] of after.entries()) {
    const expected = Object.hasOwn(values, constant.name) ? values[constant.name] : before[index]!.value;
    if (!Object.is(constant.value, expected)) {
      return `${constant.name} would read back as ${JSON.stringify(constant.value)} instead of ${JSON.stringify(expected)}; refusing to write it`;
    }
  }
  return undefined;
}

function example(name: string, language: SourceLanguage): string {
  return language === 'ts' ? `\`const ${name} = 1;\`` : `\`${name} = 1\``;
}
