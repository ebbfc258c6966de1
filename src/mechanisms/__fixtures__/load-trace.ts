// Test helper: reads one of the committed fixture traces and validates it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRecordedTrace, type RecordedTrace } from '../recorded-trace.js';
import type { SyntheticScenario } from '../synthetic-trace.js';

const folder = dirname(fileURLToPath(import.meta.url));

export function loadFixtureTrace(scenario: SyntheticScenario): RecordedTrace {
  const path = join(folder, `trace-${scenario}.json`);
  return parseRecordedTrace(JSON.parse(readFileSync(path, 'utf8')), path);
}
