import { describe, expect, it } from 'vitest';
import { scanMechanism } from './static-scan.js';

function findings(source: string): string[] {
  return scanMechanism(source, 'm.ts').findings.map((finding) => `${finding.line}: ${finding.message.split(':')[0]}`);
}

describe('scanMechanism (syntax tree, before anything runs)', () => {
  it('allows only the contract import', () => {
    expect(
      findings(`import { defineMechanism } from 'bilevel/mechanism';\nimport type { Value } from 'bilevel/mechanism';`),
    ).toEqual([]);
    expect(findings(`import fs from 'node:fs';\nexport * from './x.js';\nimport os = require('os');`)).toEqual([
      "1: import of 'node",
      "2: import of './x.js' is not allowed",
      "3: 'import = require' is not allowed",
    ]);
  });

  it('refuses dynamic code, ambient authority and reflective escapes, each on its own line', () => {
    const source = [
      `const a = require('fs');`,
      `const b = import('fs');`,
      `eval('1');`,
      `new Function('return 1');`,
      `globalThis.x = 1;`,
      `process.exit();`,
      `[].constructor.constructor('x');`,
      `({}).__proto__;`,
      `({})['constructor'];`,
      `Reflect.ownKeys({});`,
      `new Proxy({}, {});`,
      `Math.random();`,
      `Date.now();`,
      `// @ts-ignore`,
    ].join('\n');
    const lines = new Set(scanMechanism(source).findings.map((finding) => finding.line));
    expect([...lines].sort((left, right) => left - right)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('does not flag property names, object keys or ordinary code', () => {
    const source = `const config = { process: 1, random: 2, now: 3 };
const total = config.process + config.random + config.now;
const values: Record<string, number> = {};
for (const key of Object.keys(values)) values[key] = (values[key] ?? 0) + total;`;
    expect(findings(source)).toEqual([]);
  });
});
