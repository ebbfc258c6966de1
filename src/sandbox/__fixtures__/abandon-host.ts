// Test helper process: starts a sandbox host, prints "ready", then waits on a hook that never returns (to be killed).
import { compileMechanism } from '../../gate/compile-mechanism.js';
import { loadSandboxedMechanism } from '../sandboxed-runtime.js';

const compiled = await compileMechanism(`import { defineMechanism } from 'bilevel/mechanism';
export default defineMechanism({
  specificationVersion: 'mechanism-v1', name: 'spin', description: 'Spins forever when asked.',
  shouldStop: () => { let spins = 0; while (spins >= 0) spins += 1; return undefined; },
});`);
if (!compiled.ok) throw new Error(compiled.problems.join('\n'));
const { runtime } = await loadSandboxedMechanism(compiled.compiledJs, 'generated', { hookTimeoutMs: 120_000 });
const pending = runtime.call('shouldStop', [{}]);
process.stdout.write('ready\n');
await pending;
