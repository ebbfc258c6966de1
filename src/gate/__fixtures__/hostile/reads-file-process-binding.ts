// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: read a file through process.binding('fs'), below the fs module's permission checks.
import { defineMechanism } from 'bilevel/mechanism';

declare const process: { binding(name: string): { open(path: string, flags: number, mode: number): number } };

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'reads-file-process-binding',
  description: 'Opens /etc/passwd through the raw fs binding.',
  screenProposal: () => ({ accept: false, reason: String(process.binding('fs').open('/etc/passwd', 0, 0)) }),
});
