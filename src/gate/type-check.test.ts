import { describe, expect, it } from 'vitest';
import { typeCheckMechanism } from './type-check.js';

const header = `import { defineMechanism } from 'bilevel/mechanism';\n`;

describe('typeCheckMechanism (in-memory compiler host, mechanism-v1 contract)', () => {
  it('passes a module that satisfies the contract', () => {
    const result = typeCheckMechanism(`${header}export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'stop-late',
  description: 'Stops after 100 trials.',
  shouldStop: (context) => (context.trialCount > 100 ? { stop: true, reason: 'enough' } : undefined),
});
`);
    expect(result).toEqual({ ok: true, problems: [] });
  });

  it('collects every problem with file:line:column, not just the first', () => {
    const result = typeCheckMechanism(
      `${header}export default defineMechanism({
  specificationVersion: 'mechanism-v3',
  name: 'broken',
  description: 'Broken on purpose.',
  selectParent: (context) => ({ parent: context.kept[0].index }),
  judgeOutcome: () => ({ verdict: 'maybe', reason: '' }),
});
const clock: number = Date.now().toString();
`,
      'broken.ts',
    );
    expect(result.ok).toBe(false);
    const lines = result.problems.map((problem) => problem.line);
    expect(lines).toEqual(expect.arrayContaining([3, 6, 7, 9]));
    for (const problem of result.problems) expect(problem.text).toMatch(/^broken\.ts:\d+:\d+ \S/);
  });

  it('knows no Node, DOM or other module: only the contract resolves', () => {
    const result = typeCheckMechanism(
      `import { readFileSync } from 'node:fs';\nimport { x } from './other.js';\nprocess.exit(1);\n`,
    );
    expect(result.problems.map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(result.problems[2]?.message).toContain('Node APIs are not available to mechanisms');
  });
});
