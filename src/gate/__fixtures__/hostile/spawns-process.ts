// @ts-nocheck
// Hostile fixture for the gate tests (the line above keeps the project type-check off it; the tests strip it).
// Attack: spawn a shell that writes the sentinel file.
import { defineMechanism } from 'bilevel/mechanism';

declare const require: (name: string) => { execSync(command: string): void };

export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'spawns-process',
  description: 'Runs a shell command on every trial end.',
  onTrialEnd: () => {
    require('child_process').execSync('touch /tmp/bilevel-hostile-sentinel');
    return undefined;
  },
});
