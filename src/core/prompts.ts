// Prompt files: load `prompts/<name>.md` from the package, hash it for the run, fill `{{placeholder}}`s.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BilevelError } from './errors.js';
import { sha256 } from './hash.js';

export interface PromptFile {
  /** The file name without `.md`, e.g. `propose-params`. */
  name: string;
  /** The file's full text. */
  text: string;
  /** Hex SHA-256 of `text`, recorded with every run that uses it. */
  sha256: string;
}

const loaded = new Map<string, PromptFile>();

/** Reads `prompts/<name>.md` from the bilevel package (cached per process). */
export function loadPrompt(name: string, options: { directory?: string } = {}): PromptFile {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new BilevelError('INTERNAL', `bad prompt name ${JSON.stringify(name)}`, {
      hint: 'Prompt names are lowercase letters, digits and dashes.',
    });
  }
  const directory = options.directory ?? join(packageRootFrom(fileURLToPath(import.meta.url)), 'prompts');
  const path = join(directory, `${name}.md`);
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new BilevelError('INTERNAL', `prompt file missing: ${path}`, {
      hint: 'Reinstall bilevel: a prompt file is missing.',
    });
  }
  const text = readFileSync(path, 'utf8');
  const prompt: PromptFile = { name, text, sha256: sha256(text) };
  loaded.set(path, prompt);
  return prompt;
}

/**
 * Replaces each `{{name}}` in `template` with `values[name]`. A placeholder without a value is an INTERNAL
 * error (a prompt and its code disagree); values are inserted verbatim, never re-scanned for placeholders.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new BilevelError('INTERNAL', `prompt placeholder {{${key}}} has no value`, {
        hint: 'The prompt file and the code that fills it disagree; this is a bug.',
      });
    }
    return value;
  });
}

/** The nearest folder above `file` holding a package.json named "bilevel" (works from src/ and dist/). */
function packageRootFrom(file: string): string {
  let folder = dirname(file);
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'bilevel') {
      return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) {
      throw new BilevelError('INTERNAL', `no package.json named "bilevel" above ${file}`, {
        hint: 'Reinstall bilevel: its package.json is missing.',
      });
    }
    folder = parent;
  }
}
