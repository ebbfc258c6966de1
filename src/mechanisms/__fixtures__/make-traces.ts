// Writes the fixture traces (synthetic objective, scripted searches) used by the mechanism tests.
// Run: npx tsx src/mechanisms/__fixtures__/make-traces.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSyntheticTrace, syntheticScenarios } from '../synthetic-trace.js';

const folder = dirname(fileURLToPath(import.meta.url));
for (const scenario of syntheticScenarios) {
  const path = join(folder, `trace-${scenario}.json`);
  writeFileSync(path, `${JSON.stringify(makeSyntheticTrace(scenario), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
