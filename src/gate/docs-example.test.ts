// The mechanism in docs/writing-a-mechanism.md passes the gate, so the guide cannot drift from the contract.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGate } from './run-gate.js';

const guide = readFileSync(new URL('../../docs/writing-a-mechanism.md', import.meta.url), 'utf8');
const example = /```ts\n([\s\S]*?)\n```/.exec(guide)?.[1] ?? '';

describe('docs/writing-a-mechanism.md', () => {
  it('holds a mechanism that passes every stage of the gate and changes decisions on the replays', async () => {
    expect(example).toContain("name: 'min-step'");
    const report = await runGate(example, { fileName: 'min-step.ts' });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.replay?.decisionsChanged).toBeGreaterThan(0);
  }, 60_000);
});
