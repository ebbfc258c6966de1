// Finds top-level `UPPER_CASE = literal` constants in TypeScript/Python source and infers a tunable range for each.
import { type ParsedLiteral, parseLiteral } from './parse-literal.js';
import type { SourceLanguage } from './source-language.js';
import type { ParamSpec, ParamValue } from './task-definition.js';
import { topLevelLineStarts } from './top-level-lines.js';

/** One constant assignment found in a file, with the exact span of its literal so it can be rewritten. */
export interface DiscoveredConstant {
  name: string;
  value: ParamValue;
  /** How the literal was written (`2 ** 19` counts as `int`). */
  form: ParsedLiteral['form'];
  /** 1-based line number. */
  line: number;
  /** Offset (UTF-16 code units) of the literal's first character in the source. */
  start: number;
  /** Offset just past the literal's last character. */
  end: number;
}

const typeScriptHead = /^(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Z][A-Z0-9_]*)[ \t]*(?::[^=;\n]*)?=(?![=>])[ \t]*/;
const pythonHead = /^([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*/;
const typeScriptTail = /^[ \t]*;?[ \t]*(?:\/\/.*|\/\*(?:(?!\*\/).)*\*\/[ \t]*)?$/;
const pythonTail = /^[ \t]*(?:#.*)?$/;

/**
 * Every top-level (column 0, outside strings/comments/brackets) single-line assignment of a literal to an
 * UPPER_CASE name: TypeScript `[export] const NAME[: type] = literal;` and Python `NAME[: type] = literal`.
 * Literals: numbers (`1e-3`, `1_000`, `-0.5`), int products/powers (`2 ** 19`), quoted strings, booleans.
 * A name assigned twice appears twice; callers that rewrite must insist on exactly one.
 */
export function discoverConstants(source: string, language: SourceLanguage): DiscoveredConstant[] {
  const constants: DiscoveredConstant[] = [];
  const head = language === 'ts' ? typeScriptHead : pythonHead;
  const tail = language === 'ts' ? typeScriptTail : pythonTail;
  const lineNumbers = lineNumberLookup(source);
  for (const lineStart of topLevelLineStarts(source, language)) {
    const newline = source.indexOf('\n', lineStart);
    const line = source.slice(lineStart, newline < 0 ? source.length : newline).replace(/\r$/, '');
    const match = head.exec(line);
    if (!match) continue;
    const literalStart = match[0].length;
    const literalEnd = literalExtent(line, literalStart, language);
    if (literalEnd === undefined || !tail.test(line.slice(literalEnd))) continue;
    const parsed = parseLiteral(line.slice(literalStart, literalEnd), language);
    if (!parsed) continue;
    constants.push({
      name: match[1]!,
      value: parsed.value,
      form: parsed.form,
      line: lineNumbers(lineStart),
      start: lineStart + literalStart,
      end: lineStart + literalEnd,
    });
  }
  return constants;
}

/** End offset (exclusive, within the line) of the literal starting at `start`, or `undefined`. */
function literalExtent(line: string, start: number, language: SourceLanguage): number | undefined {
  const quote = line[start];
  if (quote === '"' || quote === "'") {
    for (let index = start + 1; index < line.length; index++) {
      if (line[index] === '\\') index++;
      else if (line[index] === quote) return index + 1;
    }
    return undefined;
  }
  const stop = language === 'ts' ? /;|\/\/|\/\*/ : /#/;
  const found = stop.exec(line.slice(start));
  const raw = found ? line.slice(start, start + found.index) : line.slice(start);
  const trimmed = raw.trimEnd();
  return trimmed.length === 0 ? undefined : start + trimmed.length;
}

function lineNumberLookup(source: string): (offset: number) => number {
  const starts = [0];
  for (let index = source.indexOf('\n'); index >= 0; index = source.indexOf('\n', index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/**
 * A search range for a discovered constant without a declared one. The rule (documented in AGENTS.md):
 * - boolean → choice [true, false];
 * - string → choice [current] (effectively fixed until a range is declared in task.json);
 * - positive int v → integer in [max(1, ⌊v/4⌋), 4v], log scale when v ≥ 16 (sizes), linear otherwise;
 * - int 0 → integer [0, 10] linear; negative int v → integer [4v, min(-1, ⌈v/4⌉)] linear;
 * - float in [0.1, 1] or written as 0.0 → linear [0, 1] (fractions, betas, ratios);
 * - other positive float v → log scale [v/10, 10v] (rates, scales);
 * - negative float v → linear [10v, v/10].
 */
export function inferParamSpec(
  constant: Pick<DiscoveredConstant, 'name' | 'value' | 'form'>,
  file?: string,
): ParamSpec {
  const { name, value, form } = constant;
  const fileField = file === undefined ? {} : { file };
  if (typeof value === 'boolean') return { name, type: 'choice', choices: [true, false], ...fileField };
  if (typeof value === 'string') return { name, type: 'choice', choices: [value], ...fileField };
  if (form === 'int') {
    const range: [number, number] =
      value > 0
        ? [Math.max(1, Math.floor(value / 4)), value * 4]
        : value === 0
          ? [0, 10]
          : [value * 4, Math.min(-1, Math.ceil(value / 4))];
    const scale = value >= 16 ? 'log' : 'linear';
    return { name, type: 'number', min: range[0], max: range[1], integer: true, scale, ...fileField };
  }
  if (value === 0 || (value >= 0.1 && value <= 1)) {
    return { name, type: 'number', min: 0, max: 1, integer: false, scale: 'linear', ...fileField };
  }
  if (value > 0)
    return { name, type: 'number', min: value / 10, max: value * 10, integer: false, scale: 'log', ...fileField };
  return { name, type: 'number', min: value * 10, max: value / 10, integer: false, scale: 'linear', ...fileField };
}
