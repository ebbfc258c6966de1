import { describe, expect, it } from 'vitest';
import { compileMechanism } from './compile-mechanism.js';

const module = (body: string) => `import { defineMechanism } from 'bilevel/mechanism';
export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'guide',
  description: 'Adds one line of guidance.',
  transformPrompt: (_context, prompt) => ({ ...prompt, guidance: [...prompt.guidance, ${body}] }),
});
`;

describe('compileMechanism (esbuild, wrapped for the compartment)', () => {
  it('strips types and wraps the module so it needs no import at all', async () => {
    const result = await compileMechanism(module(`'lower the learning rate' as string`));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.compiledJs).not.toMatch(/\bas string\b/);
    expect(result.compiledJs).toContain('if (specifier === "bilevel/mechanism") return contract;');
    expect(result.compiledJs.trim().endsWith('})()')).toBe(true);
  });

  it('reports syntax errors with file:line:column', async () => {
    const result = await compileMechanism('export default {', 'broken.ts');
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.problems[0]).toMatch(/^broken\.ts:1:\d+ compile: /);
  });

  it('names the line of text the sandbox evaluator would reject, even inside a string', async () => {
    const result = await compileMechanism(module(`'lr --> 0.01'`), 'arrow.ts');
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.problems).toEqual([expect.stringMatching(/^arrow\.ts:6: compile: the text "-->" cannot appear/)]);
  });
});
