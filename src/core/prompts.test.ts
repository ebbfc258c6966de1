import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { sha256 } from './hash.js';
import { loadPrompt, renderTemplate } from './prompts.js';

describe('loadPrompt', () => {
  test('reads prompts/<name>.md from the package root and hashes its text', () => {
    const prompt = loadPrompt('propose-params');
    expect(prompt.name).toBe('propose-params');
    expect(prompt.text).toContain('{{');
    expect(prompt.sha256).toBe(sha256(prompt.text));
    expect(prompt.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('reads from a given directory, and a missing file or bad name is an INTERNAL error', () => {
    const directory = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(directory, 'hello.md'), 'Hi {{name}}');
    expect(loadPrompt('hello', { directory }).text).toBe('Hi {{name}}');
    expect(() => loadPrompt('absent', { directory })).toThrow(/prompt file missing/);
    expect(() => loadPrompt('../etc/passwd')).toThrow(/bad prompt name/);
  });
});

describe('renderTemplate', () => {
  test('fills placeholders verbatim, without re-scanning inserted text or expanding $ patterns', () => {
    expect(renderTemplate('a {{x}} b {{ y }}', { x: '{{y}} $& $1', y: 'Y' })).toBe('a {{y}} $& $1 b Y');
  });

  test('a placeholder without a value throws', () => {
    expect(() => renderTemplate('{{missing}}', {})).toThrow(/\{\{missing\}\} has no value/);
  });
});
