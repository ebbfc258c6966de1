// SYNTHETIC evaluator (protected, hidden from training): reads the constants train.ts wrote to the output folder and
// scores them; its stdout is the only place the loop reads val_bpb from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configNames, runObjective } from './objective.mjs';

const path = join(process.env.BILEVEL_OUTPUT_DIR ?? '.', 'constants.json');
let written;
try {
  written = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`AssertionError: train.ts left no readable constants at ${path}: ${error.message}`);
  process.exit(1);
}
if (typeof written !== 'object' || written === null || Array.isArray(written)) {
  console.error(`AssertionError: ${path} must hold one JSON object of constants`);
  process.exit(1);
}
const missing = configNames.filter((name) => !Object.hasOwn(written, name));
if (missing.length > 0) {
  console.error(`AssertionError: ${path} lacks ${missing.join(', ')}`);
  process.exit(1);
}
// Only the known names, in their fixed order: extra keys cannot reseed the noise.
runObjective(Object.fromEntries(configNames.map((name) => [name, written[name]])));
