// Untrusted text (what a model or a task wrote) made safe to show: control, escape and bidi characters escaped.

/**
 * Characters that act instead of being read: C0 controls (NUL, ESC, BEL, backspace, …) but tab and line feed,
 * DEL and the C1 controls, the bidi embeddings, overrides, isolates and marks (which reorder what a reader sees),
 * and lone surrogates (which are not text). Each is shown as a visible escape (`\x1B`, `\u202E`, `\uD800`).
 */
const unsafe =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `text` as it may be written to a terminal, a file or a commit: line breaks and tabs kept, every character that
 * could act (move the cursor, recolour, hide or reorder text, end a C string) escaped so it is seen instead. The
 * record keeps the raw text; this is applied where text leaves bilevel (each sink, once).
 */
export function displayText(text: string): string {
  return text.replace(/\r\n?|\u2028|\u2029/g, '\n').replace(unsafe, escapeCharacter);
}

/**
 * `text` as one line (a progress line, a TSV cell, a commit subject): whitespace runs, line breaks included,
 * become one space; escaped as `displayText`; cut to `limit` characters with an ellipsis when given.
 */
export function displayLine(text: string, limit?: number): string {
  const flat = displayText(text).replace(/\s+/g, ' ').trim();
  if (limit === undefined || flat.length <= limit) return flat;
  // Never end on half a surrogate pair.
  const cut = flat.slice(0, Math.max(0, limit - 1)).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}…`;
}

/**
 * JSON for a terminal or a pipe: exactly `JSON.stringify`'s value, with the characters it leaves raw that could
 * act on a terminal (DEL, C1 controls, bidi controls, line and paragraph separators) written as `\uXXXX`.
 */
export function displayJson(
  value: unknown,
  indent?: number,
  replacer?: (key: string, value: unknown) => unknown,
): string {
  return JSON.stringify(value, replacer, indent).replace(
    /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
