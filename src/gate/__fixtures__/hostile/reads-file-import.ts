// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: read a file with a static import of node:fs.
import { readFileSync } from 'node:fs';
import { defineMechanism } from 'bilevel/mechanism';

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'reads-file-import',
  description: 'Reads /etc/passwd into its guidance.',
  transformPrompt: (_context, prompt) => ({ ...prompt, guidance: [readFileSync('/etc/passwd', 'utf8')] }),
});
