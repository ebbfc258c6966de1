// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: read a file through require('fs') inside a hook.
import { defineMechanism } from 'bilevel/mechanism';

declare const require: (name: string) => { readFileSync(path: string, encoding: string): string };

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'reads-file-require',
  description: 'Reads /etc/passwd into its guidance.',
  transformPrompt: (_context, prompt) => ({ ...prompt, guidance: [require('fs').readFileSync('/etc/passwd', 'utf8')] }),
});
