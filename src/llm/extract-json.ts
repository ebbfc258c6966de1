// Finds the first JSON object in a model's free-text reply (code fences, prose before or after it).

/** The parsed object, or why none was found. */
export type ExtractJsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Returns the first balanced `{…}` in `text` that parses as JSON. Fenced blocks (```json … ```) are tried
 * first, then every `{` in the text in order, so prose around the object is ignored.
 */
export function extractJson(text: string): ExtractJsonResult {
  if (text.trim() === '') return { ok: false, reason: 'the reply was empty' };
  const candidates: string[] = [];
  for (const match of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) {
    if (match[1] !== undefined) candidates.push(match[1]);
  }
  candidates.push(text);
  let firstError = '';
  for (const candidate of candidates) {
    let start = candidate.indexOf('{');
    while (start !== -1) {
      const end = findBalancedEnd(candidate, start);
      if (end === -1) {
        firstError ||= 'the JSON object is not closed (the reply may be cut off)';
        break;
      }
      const slice = candidate.slice(start, end + 1);
      try {
        const value: unknown = JSON.parse(slice);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value };
      } catch (error) {
        firstError ||= `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
      start = candidate.indexOf('{', start + 1);
    }
  }
  return { ok: false, reason: firstError || 'no JSON object found in the reply' };
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 when unbalanced. */
function findBalancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{') depth++;
    else if (character === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}
