// Which literal syntax a param file uses, from its extension.

/** `ts` covers TypeScript and JavaScript; `py` is Python. */
export type SourceLanguage = 'ts' | 'py';

/** `.ts/.mts/.cts/.js/.mjs/.cjs` → `ts`, `.py` → `py`, anything else → `undefined` (no params there). */
export function sourceLanguage(path: string): SourceLanguage | undefined {
  if (/\.(?:[mc]?ts|[mc]?js)$/i.test(path) && !/\.d\.[mc]?ts$/i.test(path)) return 'ts';
  if (/\.py$/i.test(path)) return 'py';
  return undefined;
}
