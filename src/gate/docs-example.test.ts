// The mechanisms in docs/writing-a-mechanism.md pass the gate, so the guide cannot drift from the contract.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGate } from './run-gate.js';

const guide = readFileSync(new URL('../../docs/writing-a-mechanism.md', import.meta.url), 'utf8');
const examples = [...guide.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? '');

describe('docs/writing-a-mechanism.md', () => {
  it.each([
    ['min-step', 'screenProposal'],
    ['untried-choices', 'propose'],
  ])(
    'holds %s, which passes every stage of the gate and changes decisions (%s) on the replays',
    async (name, hook) => {
      const example = examples.find((source) => source.includes(`name: '${name}'`)) ?? '';
      // The example's only decision hook is the one named, so every changed decision is that hook's.
      expect(example).toContain(`${hook}(`);
      const report = await runGate(example, { fileName: `${name}.ts` });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.replay?.decisionsChanged).toBeGreaterThan(0);
    },
    60_000,
  );
});
