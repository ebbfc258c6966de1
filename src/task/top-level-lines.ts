// Finds the lines that start a top-level statement: outside strings, comments, brackets and continuations.
import type { SourceLanguage } from './source-language.js';

type Mode =
  | { kind: 'code'; depth: number }
  | { kind: 'string'; quote: string; triple: boolean }
  | { kind: 'template' }
  | { kind: 'block-comment' };

/**
 * Offsets of the first character of every line that begins at top level: not inside a string, template,
 * comment or bracket, and (Python) not continued from the previous line by a trailing backslash.
 * The scan is lexical, not a full parse; it errs on the side of skipping odd lines.
 */
export function topLevelLineStarts(source: string, language: SourceLanguage): number[] {
  const starts: number[] = [];
  // A stack: template literals resume after `${ … }` closes (TypeScript only).
  const stack: Mode[] = [{ kind: 'code', depth: 0 }];
  let lineStart = true;
  let continued = false;
  for (let index = 0; index < source.length; index++) {
    const mode = stack[stack.length - 1]!;
    if (lineStart) {
      if (mode.kind === 'code' && stack.length === 1 && mode.depth === 0 && !continued) starts.push(index);
      lineStart = false;
      continued = false;
    }
    const char = source[index]!;
    const next = source[index + 1];
    if (char === '\n') {
      lineStart = true;
      if (mode.kind === 'string' && !mode.triple) stack.pop(); // unterminated: the lexer gives up at line end
      continue;
    }
    switch (mode.kind) {
      case 'block-comment':
        if (char === '*' && next === '/') {
          stack.pop();
          index++;
        }
        break;
      case 'string':
        if (char === '\\') {
          if (source[index + 1] === '\n') lineStart = true;
          index++;
        } else if (mode.triple ? source.startsWith(mode.quote.repeat(3), index) : char === mode.quote) {
          stack.pop();
          if (mode.triple) index += 2;
        }
        break;
      case 'template':
        if (char === '\\') index++;
        else if (char === '`') stack.pop();
        else if (char === '$' && next === '{') {
          stack.push({ kind: 'code', depth: 0 });
          index++;
        }
        break;
      case 'code':
        index = scanCode(source, index, language, mode, stack, () => {
          continued = true;
        });
        break;
    }
  }
  return starts;
}

/** Handles one character in code mode; returns the index of the last character consumed. */
function scanCode(
  source: string,
  index: number,
  language: SourceLanguage,
  mode: { kind: 'code'; depth: number },
  stack: Mode[],
  markContinued: () => void,
): number {
  const char = source[index]!;
  const next = source[index + 1];
  if (language === 'py' && char === '#') return skipToLineEnd(source, index);
  if (language === 'ts' && char === '/' && next === '/') return skipToLineEnd(source, index);
  if (language === 'ts' && char === '/' && next === '*') {
    stack.push({ kind: 'block-comment' });
    return index + 1;
  }
  if (char === '"' || char === "'") {
    const triple = language === 'py' && source.startsWith(char.repeat(3), index);
    stack.push({ kind: 'string', quote: char, triple });
    return triple ? index + 2 : index;
  }
  if (language === 'ts' && char === '`') {
    stack.push({ kind: 'template' });
    return index;
  }
  if (char === '(' || char === '[' || char === '{') mode.depth++;
  else if (char === ')' || char === ']' || char === '}') {
    if (mode.depth === 0 && stack.length > 1) stack.pop();
    else mode.depth = Math.max(0, mode.depth - 1);
  } else if (language === 'py' && char === '\\' && (next === '\n' || (next === '\r' && source[index + 2] === '\n'))) {
    markContinued();
  }
  return index;
}

/** Index of the last character before the next newline (or the end). */
function skipToLineEnd(source: string, index: number): number {
  const newline = source.indexOf('\n', index);
  return newline < 0 ? source.length - 1 : newline - 1;
}
